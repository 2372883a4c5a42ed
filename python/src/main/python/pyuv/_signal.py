"""pyuv.Signal(loop): start(callback, signum) runs callback(handle, signum) on the loop thread each
time the process gets the signal; stop(). Through the JVM's signal handling (sun.misc.Signal): the
signals that the JVM lets a program handle (HUP, INT, QUIT, USR1, USR2, PIPE, ALRM, TERM, CHLD,
WINCH on Linux; USR1 is refused by some JVMs)."""

import java as _java

from . import error as _error
from ._common import _call_hook, _c_int, _jcall, _nargs, _nokw
from ._handle import Handle
from ._loop import _check_loop

_SignalPeer = _java.type('org.pyuv4j.internal.python.SignalPeer')


class Signal(Handle):
    _error_class = _error.SignalError

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 1)
        p = _jcall(_SignalPeer, _error.SignalError, loop._j, self._on_signal)
        self.__dict__['_p'] = p
        self._register(loop, p.handle)
        self._cb = None
        self._started = False
        self._want_ref = True

    def _on_signal(self, signum):
        cb = self._cb
        if cb is None:
            return
        try:
            cb(self, signum)
        except BaseException:
            _call_hook(self._loop)

    def start(self, *args, **kwargs):
        self._live()
        p = self._p
        _nokw('Signal', 'start', kwargs)
        _nargs('start', args, 2, 2)
        cb, signum = args
        signum = _c_int(signum)
        if not callable(cb):
            raise TypeError('a callable is required')
        self._do(p.start, signum)
        self._cb = cb
        self._started = True
        _jcall(self._j.setRef, _error.SignalError, self._want_ref)

    def stop(self):
        self._live()
        self._p.stop()
        self._started = False
        _jcall(self._j.setRef, _error.SignalError, False)

    def _closed_hook(self):
        self._p.stop()
        self._started = False

    @property
    def active(self):
        self._j
        return self._started and not self._closing

    @property
    def ref(self):
        self._j
        return self._want_ref and not self.__dict__.get('_detached', False)

    @ref.setter
    def ref(self, value):
        self._j
        self._want_ref = bool(_c_int(value))
        _jcall(self._j.setRef, _error.SignalError, self._want_ref and self._started)


Signal.__module__ = 'pyuv._cpyuv'
