"""pyuv 1.4's API on the JVM: pyuv4j (org.pyuv4j, on Netty) through GraalPy.

Loop, TCP, Timer, Async, Idle, Prepare, Check and Signal are implemented; Pipe, TTY, UDP, Poll,
Process, FSEvent, FSPoll and the fs, dns, util and thread modules exist so that imports work, and
raise NotImplementedError when used. See docs/PYTHON.md.
"""

from ._core import (Loop, Handle, Stream, TCP, Timer, Async, Idle, Prepare, Check, Pipe, TTY, UDP,
                    Poll, Process, StdIO, FSEvent, FSPoll, UV_RUN_DEFAULT, UV_RUN_ONCE, UV_RUN_NOWAIT)
from ._signal import Signal
from . import errno
from . import error
from . import dns, fs, thread, util
from ._version import __version__

LIBUV_VERSION = '1.13.2-dev'

UV_TCP_IPV6ONLY = 1
UV_UDP_IPV6ONLY = 1
UV_UDP_PARTIAL = 2
UV_UDP_REUSEADDR = 4
UV_JOIN_GROUP = 1
UV_LEAVE_GROUP = 0
UV_READABLE = 1
UV_WRITABLE = 2
UV_DISCONNECT = 4

UV_UNKNOWN_HANDLE = 0
UV_ASYNC = 1
UV_CHECK = 2
UV_FS_EVENT = 3
UV_FS_POLL = 4
UV_HANDLE = 5
UV_IDLE = 6
UV_NAMED_PIPE = 7
UV_POLL = 8
UV_PREPARE = 9
UV_PROCESS = 10
UV_STREAM = 11
UV_TCP = 12
UV_TIMER = 13
UV_TTY = 14
UV_UDP = 15
UV_SIGNAL = 16

UV_IGNORE = 0
UV_CREATE_PIPE = 1
UV_INHERIT_FD = 2
UV_INHERIT_STREAM = 4
UV_READABLE_PIPE = 16
UV_WRITABLE_PIPE = 32
UV_PROCESS_SETUID = 1
UV_PROCESS_SETGID = 2
UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS = 4
UV_PROCESS_DETACHED = 8
UV_PROCESS_WINDOWS_HIDE = 16
