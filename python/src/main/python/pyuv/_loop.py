"""pyuv.Loop and the request Loop.queue_work returns."""

from . import error as _error
from ._common import (_Bridge, _JLoop, _JThrowable, _WORKERS, _c_int, _call_hook, _config,
                      _default_excepthook, _jcall, _nargs, _nokw, _print_current, _xlate)

UV_RUN_DEFAULT = 0
UV_RUN_ONCE = 1
UV_RUN_NOWAIT = 2

_MODES = (0, 1, 2)


class Loop(object):
    """pyuv.Loop: an event loop (org.pyuv4j.Loop)."""

    _default = None

    def __new__(cls, *args, **kwargs):
        if args or kwargs:
            raise TypeError('Loop initialization takes no parameters')
        self = object.__new__(cls)
        self._setup(False)
        return self

    def _setup(self, default, jloop=None):
        if jloop is None:
            given = _config('pyuv4j.loop') if default else None
            if given is not None:
                jloop = given
            elif default:
                jloop = _jcall(_JLoop.defaultLoop)
            else:
                jloop = _jcall(_Bridge.newLoop, _error.UVError, _config('pyuv4j.transport') or '')
        d = self.__dict__
        d['_j'] = jloop
        d['_is_default'] = default
        d['_handles'] = {}
        d['_pending_exit'] = None

    @classmethod
    def default_loop(cls):
        loop = Loop._default
        if loop is None:
            loop = object.__new__(cls)
            loop._setup(True)
            if cls.__init__ is not object.__init__:
                cls.__init__(loop)
            Loop._default = loop
        return loop

    @property
    def default(self):
        return self._is_default

    def run(self, *args, **kwargs):
        _nokw('Loop', 'run', kwargs)
        _nargs('run', args, 0, 1)
        mode = _c_int(args[0]) if args else 0
        if mode not in _MODES:
            raise ValueError('invalid mode specified')
        try:
            alive = _Bridge.run(self._j, mode)
        except _JThrowable as e:
            raise _xlate(e) from None
        pending = self._pending_exit
        if pending is not None:
            self._pending_exit = None
            raise pending
        return bool(alive)

    def stop(self):
        self._j.stop()

    def now(self):
        return int(_jcall(self._j.now))

    def update_time(self):
        _jcall(self._j.updateTime)

    def fileno(self):
        raise _error.UVError(-95, 'operation not supported on socket')

    def get_timeout(self):
        return float(_jcall(self._j.getTimeout))

    @property
    def alive(self):
        return bool(_jcall(self._j.isAlive))

    @property
    def handles(self):
        return list(self._handles.values())

    def queue_work(self, *args, **kwargs):
        _nokw('Loop', 'queue_work', kwargs)
        _nargs('queue_work', args, 1, 2)
        work_cb = args[0]
        done_cb = args[1] if len(args) > 1 else None
        if not callable(work_cb):
            raise TypeError('a callable is required')
        if done_cb is not None and not callable(done_cb):
            raise TypeError('done_cb must be a callable or None')
        req = WorkRequest(self, work_cb, done_cb)
        try:
            req._j = _Bridge.queueWork(self._j, req._work, req._done, _WORKERS)
        except _JThrowable as e:
            raise _xlate(e) from None
        return req

    excepthook = _default_excepthook


class WorkRequest(object):
    """What Loop.queue_work returns: cancel() and loop."""

    def __init__(self, loop, work_cb, done_cb):
        self.loop = loop
        self._work_cb = work_cb
        self._done_cb = done_cb
        self._j = None

    def _work(self):
        try:
            self._work_cb()
        except BaseException:
            # pyuv: PyErr_Print, not the excepthook; done_cb still gets None.
            _print_current()
        finally:
            self._work_cb = None

    def _done(self, error):
        cb = self._done_cb
        self._done_cb = None
        if cb is not None:
            try:
                cb(error)
            except BaseException:
                _call_hook(self.loop)

    def cancel(self):
        return bool(_jcall(self._j.cancel))


# ---------------------------------------------------------------------------- handles


def _check_loop(name, args, lo, hi):
    n = len(args)
    if n < lo or n > hi:
        _nargs(name, args, lo, hi)
    loop = args[0]
    if not isinstance(loop, Loop):
        raise TypeError('%s() argument 1 must be pyuv._cpyuv.Loop, not %s'
                        % (name, 'None' if loop is None else type(loop).__name__))
    return loop
