"""pyuv.fs: not implemented by pyuv4j-python (every function and FSEvent/FSPoll raise NotImplementedError)."""
import sys as _sys
from . import _stubs
from ._core import FSEvent, FSPoll
_stubs.make(_sys.modules[__name__], ['access', 'chmod', 'chown', 'close', 'fchmod', 'fchown', 'fdatasync',
                                     'fstat', 'fsync', 'ftruncate', 'futime', 'link', 'lstat', 'mkdir', 'open',
                                     'read', 'readlink', 'realpath', 'rename', 'rmdir', 'scandir', 'sendfile',
                                     'stat', 'stat_float_times', 'symlink', 'unlink', 'utime', 'write'])
UV_RENAME = 1
UV_CHANGE = 2
UV_FS_EVENT_WATCH_ENTRY = 1
UV_FS_EVENT_STAT = 2
UV_FS_SYMLINK_DIR = 1
UV_FS_SYMLINK_JUNCTION = 2
UV_DIRENT_UNKNOWN = 0
UV_DIRENT_FILE = 1
UV_DIRENT_DIR = 2
UV_DIRENT_LINK = 3
UV_DIRENT_FIFO = 4
UV_DIRENT_SOCKET = 5
UV_DIRENT_CHAR = 6
UV_DIRENT_BLOCK = 7
