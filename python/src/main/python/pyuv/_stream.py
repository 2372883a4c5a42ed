"""pyuv.Stream: reading, writing, shutdown, listen/accept; the base of TCP."""

from . import error as _error
from ._common import _JThrowable, _MISSING, _bool_arg, _c_int, _call_hook, _jcall, _nargs, _nokw, _storage
from ._handle import Handle


def _buffer(data):
    """(backing Java byte[], length) of a bytes-like object, or None if it is not one."""
    t = type(data)
    if t is bytes or t is bytearray:
        n = len(data)
        if n == 0:
            return _EMPTY, 0
        return _storage(data), n
    try:
        m = memoryview(data)
    except TypeError:
        return None
    b = m.tobytes()
    if not b:
        return _EMPTY, 0
    return _storage(b), len(b)


_EMPTY = _storage(bytes(1))  # any Java byte[]: written with length 0


def _bytes_like_error(data):
    return TypeError("a bytes-like object is required, not '%s'" % type(data).__name__)


class Stream(Handle):
    """Base of the stream handles: reading, writing, shutdown, listen/accept."""

    _error_class = _error.StreamError

    def _closed_hook(self):
        self._read_cb = None

    def _live_peer(self):
        """The Java peer (TcpPeer) of a stream that is not closing."""
        self._live()
        return self._p

    def _on_status(self, cb, error):
        try:
            cb(self, error)
        except BaseException:
            _call_hook(self._loop)

    def _on_read(self, n):
        if n > 0:
            data = bytes(n)
            self._fill(_storage(data))
            err = None
        else:
            data = None
            err = n
        try:
            self._read_cb(self, data, err)
        except BaseException:
            _call_hook(self._loop)

    def start_read(self, *args, **kwargs):
        p = self._live_peer()
        _nokw(type(self).__name__, 'start_read', kwargs)
        _nargs('start_read', args, 1, 1)
        cb = args[0]
        if not callable(cb):
            raise TypeError('a callable is required')
        self._read_cb = cb
        self._do(p.startRead)

    def stop_read(self):
        j = self._live()
        self._do(j.stopRead)

    def write(self, data=_MISSING, callback=None, /, **kwargs):
        # Positional-only, no *args: the hot path allocates no argument tuple.
        p = self._live_peer()
        if kwargs:
            _nokw(type(self).__name__, 'write', kwargs)
        if data is _MISSING:
            raise TypeError('write() takes at least 1 argument (0 given)')
        cb = callback
        if cb is not None and not callable(cb):
            raise TypeError("'callback' must be a callable or None")
        t = type(data)
        if t is bytes or t is bytearray:
            length = len(data)
            arr = _storage(data) if length else _EMPTY
            try:
                self._pwrite(arr, length, cb)
            except _JThrowable as e:
                raise self._fail(e) from None
            return
        buf = _buffer(data) if t is not str else None
        if buf is not None:
            try:
                p.write(buf[0], buf[1], cb)
            except _JThrowable as e:
                raise self._fail(e) from None
            return
        if t is str or t is dict or not isinstance(data, (list, tuple)) and not _is_sequence(data):
            raise TypeError('only bytes and sequences are supported')
        items = list(data)
        if not items:
            raise ValueError('iterable is empty')
        arrays = []
        lengths = []
        for item in items:
            b = _buffer(item) if type(item) is not str else None
            if b is None:
                raise _bytes_like_error(item)
            arrays.append(b[0])
            lengths.append(b[1])
        self._do(p.writev, arrays, lengths, cb)

    def try_write(self, *args, **kwargs):
        p = self._live_peer()
        _nokw(type(self).__name__, 'try_write', kwargs)
        _nargs('try_write', args, 1, 1)
        data = args[0]
        b = _buffer(data) if type(data) is not str else None
        if b is None:
            raise _bytes_like_error(data)
        return int(self._do(p.tryWrite, b[0], b[1]))

    def shutdown(self, *args, **kwargs):
        p = self._live_peer()
        _nokw(type(self).__name__, 'shutdown', kwargs)
        _nargs('shutdown', args, 0, 1)
        cb = args[0] if args else None
        self._do(p.shutdown, cb)

    def listen(self, *args, **kwargs):
        p = self._live_peer()
        _nokw(type(self).__name__, 'listen', kwargs)
        _nargs('listen', args, 1, 2)
        cb = args[0]
        backlog = _c_int(args[1]) if len(args) > 1 else 511
        if backlog < 0:
            raise ValueError('backlog must be bigger than 0')
        if not callable(cb):
            raise TypeError('a callable is required')
        self._do(p.listen, cb, backlog)

    def accept(self, *args, **kwargs):
        p = self._live_peer()
        _nokw(type(self).__name__, 'accept', kwargs)
        _nargs('accept', args, 1, 1)
        client = args[0]
        if not isinstance(client, Stream):
            raise TypeError('Only stream objects are supported for accept')
        cp = client._p
        self._do(p.accept, cp)

    def fileno(self):
        j = self._live()
        return int(self._do(j.fileno))

    def set_blocking(self, *args, **kwargs):
        self._live()
        _nokw(type(self).__name__, 'set_blocking', kwargs)
        _nargs('set_blocking', args, 1, 1)
        _bool_arg('set_blocking', 1, args[0])
        raise self._error_class(-95, 'operation not supported on socket')

    @property
    def readable(self):
        return bool(_jcall(self._j.isReadable, self._error_class))

    @property
    def writable(self):
        return bool(_jcall(self._j.isWritable, self._error_class))

    @property
    def write_queue_size(self):
        return int(_jcall(self._j.getWriteQueueSize, self._error_class))


def _is_sequence(obj):
    t = type(obj)
    return hasattr(t, '__getitem__') and hasattr(t, '__len__') and not isinstance(obj, (dict, set, frozenset))

