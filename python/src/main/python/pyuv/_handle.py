"""pyuv.Handle: what every handle has (close, active, closed, ref, loop)."""

from . import error as _error
from ._common import (_Bridge, _CLOSED_MSG, _JThrowable, _NOT_INIT_MSG, _call_hook, _index, _jcall,
                      _nargs, _nokw, _xlate)


class Handle(object):
    """Base of every handle: close, active, closed, ref, loop."""

    _error_class = _error.HandleError
    _closing = False

    def __getattr__(self, name):
        if name in ('_j', '_loop'):
            raise RuntimeError(_NOT_INIT_MSG)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def _register(self, loop, jhandle):
        d = self.__dict__
        if '_j' in d:
            raise RuntimeError('Object was already initialized')
        d['_j'] = jhandle
        d['_loop'] = loop
        d['_close_cb'] = None
        loop._handles[id(self)] = self

    def _fail(self, e):
        return _xlate(e, self._error_class)

    def _live(self):
        """The Java handle; HandleClosedError once close() was called (RuntimeError before __init__)."""
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        return j

    def _do(self, method, *args):
        """A call into Java whose exception comes out as this handle's pyuv error."""
        try:
            return method(*args)
        except _JThrowable as e:
            raise self._fail(e) from None

    def close(self, *args, **kwargs):
        j = self._live()
        _nokw(type(self).__name__, 'close', kwargs)
        _nargs('close', args, 0, 1)
        cb = args[0] if args else None
        if cb is not None and not callable(cb):
            raise TypeError('a callable or None is required')
        self._close_cb = cb
        self._do(_Bridge.close, j, self._on_close)
        self._closing = True
        self._closed_hook()

    def _closed_hook(self):
        pass

    def _on_event(self):
        """A watcher's event (timer, idle, prepare, check): callback(handle) under the excepthook rules."""
        try:
            self._cb(self)
        except BaseException:
            _call_hook(self._loop)

    def _on_close(self):
        loop = self._loop
        loop._handles.pop(id(self), None)
        cb = self._close_cb
        self._close_cb = None
        if cb is not None:
            try:
                cb(self)
            except BaseException:
                _call_hook(loop)
        self.__dict__['_detached'] = True

    @property
    def loop(self):
        loop = self._loop
        if self.__dict__.get('_detached'):
            return None
        return loop

    @property
    def active(self):
        return bool(_jcall(self._j.isActive, self._error_class))

    @property
    def closed(self):
        self._j
        return self._closing

    @property
    def ref(self):
        return bool(_jcall(self._j.isRef, self._error_class))

    @ref.setter
    def ref(self, value):
        j = self._j
        if value is None:
            raise TypeError('an integer is required')
        _jcall(j.setRef, self._error_class, bool(_index(value)))

    @ref.deleter
    def ref(self):
        raise TypeError('cannot delete attribute')

