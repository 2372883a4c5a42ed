"""pyuv.Idle, pyuv.Prepare, pyuv.Check (one shape: start(callback), stop()) and pyuv.Async."""

from . import error as _error
from ._common import _Bridge, _JCheck, _JIdle, _JPrepare, _call_hook, _jcall, _nargs, _nokw
from ._handle import Handle
from ._loop import _check_loop


class _Watcher(Handle):
    _jtype = None

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 1)
        j = _jcall(self._jtype, self._error_class, loop._j)
        self._register(loop, j)
        self._cb = None

    def start(self, *args, **kwargs):
        j = self._live()
        _nokw(type(self).__name__, 'start', kwargs)
        _nargs('start', args, 1, 1)
        cb = args[0]
        if not callable(cb):
            raise TypeError('a callable is required')
        self._cb = cb
        self._do(_Bridge.watcherStart, j, self._on_event)

    def stop(self):
        j = self._live()
        self._do(_Bridge.watcherStop, j)
        self._cb = None


class Idle(_Watcher):
    """pyuv.Idle: start(callback) runs callback(idle) once per loop iteration, before polling."""
    _error_class = _error.IdleError
    _jtype = _JIdle


class Prepare(_Watcher):
    """pyuv.Prepare: start(callback) runs callback(prepare) just before polling."""
    _error_class = _error.PrepareError
    _jtype = _JPrepare


class Check(_Watcher):
    """pyuv.Check: start(callback) runs callback(check) just after polling."""
    _error_class = _error.CheckError
    _jtype = _JCheck


class Async(Handle):
    """pyuv.Async(loop[, callback]): send() is thread-safe and coalescing."""

    _error_class = _error.AsyncError

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 2)
        cb = args[1] if len(args) > 1 else None
        if cb is not None and not callable(cb):
            raise TypeError('a callable is required')
        self._cb = cb
        j = _jcall(_Bridge.newAsync, _error.AsyncError, loop._j, self._on_async)
        self._register(loop, j)

    def _on_async(self):
        cb = self._cb
        if cb is not None:
            try:
                cb(self)
            except BaseException:
                _call_hook(self._loop)

    def send(self):
        j = self._live()
        self._do(j.send)
