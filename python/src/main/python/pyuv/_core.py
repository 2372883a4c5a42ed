"""pyuv's _cpyuv namespace: every handle class, and stubs of those pyuv4j-python does not implement.

One module per pyuv type, as pyuv's C sources: _loop (Loop), _handle (Handle), _timer (Timer),
_watchers (Idle, Prepare, Check, Async), _stream (Stream), _tcp (TCP), _signal (Signal); what they
share (Java types, error mapping, argument checks, excepthook) is in _common.
"""

from ._handle import Handle
from ._loop import Loop, WorkRequest, UV_RUN_DEFAULT, UV_RUN_ONCE, UV_RUN_NOWAIT
from ._stream import Stream
from ._tcp import TCP
from ._timer import Timer
from ._watchers import Idle, Prepare, Check, Async


def _unsupported(name):
    raise NotImplementedError(
        'pyuv.%s is not implemented by pyuv4j-python: it provides Loop, TCP, Timer, Async, Idle, '
        'Prepare, Check and Signal (see docs/PYTHON.md)' % name)


def _stub_class(name, base=Handle):
    def __init__(self, *args, **kwargs):
        _unsupported(name)
    return type(name, (base,), {'__init__': __init__, '__module__': 'pyuv._cpyuv',
                                '__doc__': 'Not implemented by pyuv4j-python: constructing one raises NotImplementedError.'})


Pipe = _stub_class('Pipe', Stream)
TTY = _stub_class('TTY', Stream)
UDP = _stub_class('UDP')
Poll = _stub_class('Poll')
Process = _stub_class('Process')
FSEvent = _stub_class('FSEvent')
FSPoll = _stub_class('FSPoll')


class StdIO(object):
    def __init__(self, *args, **kwargs):
        _unsupported('StdIO')


for _c in (Loop, WorkRequest, Handle, Stream, TCP, Timer, Idle, Prepare, Check, Async):
    _c.__module__ = 'pyuv._cpyuv'
del _c
