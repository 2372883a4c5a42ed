"""pyuv.Timer."""

from . import error as _error
from ._common import _Bridge, _JTimer, _double, _jcall, _warn
from ._handle import Handle
from ._loop import _check_loop


class Timer(Handle):
    """pyuv.Timer: start(callback, timeout, repeat) in seconds."""

    _error_class = _error.TimerError

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 1)
        j = _jcall(_JTimer, _error.TimerError, loop._j)
        self._register(loop, j)
        self._cb = None

    def start(self, *args, **kwargs):
        j = self._live()
        names = ('callback', 'timeout', 'repeat')
        if len(args) + len(kwargs) > 3:
            raise TypeError('__init__() takes at most 3 arguments (%d given)' % (len(args) + len(kwargs)))
        vals = list(args)
        kwargs = dict(kwargs)
        for k in names[len(vals):]:
            if k not in kwargs:
                break
            vals.append(kwargs.pop(k))
        for k in kwargs:
            if k in names[:len(args)]:
                raise TypeError("argument for __init__() given by name ('%s') and position (%d)"
                                % (k, names.index(k) + 1))
            raise TypeError("'%s' is an invalid keyword argument for __init__()" % k)
        if len(vals) < 3:
            raise TypeError("__init__() missing required argument '%s' (pos %d)" % (names[len(vals)], len(vals) + 1))
        callback, timeout, repeat = vals
        timeout = _double(timeout)
        repeat = _double(repeat)
        if not callable(callback):
            raise TypeError('a callable is required')
        if timeout < 0.0:
            raise ValueError('a positive value or zero is required')
        if 0.0 < timeout < 0.001:
            _warn("timers don't have sub-millisecond accuracy, setting timeout to 1ms", RuntimeWarning, 2)
            timeout = 0.001
        if repeat < 0.0:
            raise ValueError('a positive value or zero is required')
        if 0.0 < repeat < 0.001:
            _warn("timers don't have sub-millisecond accuracy, setting repeat to 1ms", RuntimeWarning, 2)
            repeat = 0.001
        self._cb = callback
        self._do(_Bridge.timerStart, j, self._on_event, timeout, repeat)

    def stop(self):
        j = self._live()
        self._do(j.stop)

    def again(self):
        j = self._live()
        self._do(j.again)

    @property
    def repeat(self):
        return float(_jcall(self._j.getRepeat, self._error_class))

    @repeat.setter
    def repeat(self, value):
        j = self._j
        v = _double(value)
        if v < 0.0:
            raise ValueError('a positive float or 0.0 is required')
        self._do(j.setRepeat, v)

    @repeat.deleter
    def repeat(self):
        raise TypeError('cannot delete attribute')

