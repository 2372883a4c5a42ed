"""pyuv 1.4's Loop and handles over pyuv4j (org.pyuv4j), through GraalPy's Java interop.

Every Java call goes through org.pyuv4j.internal.python (Bridge, TcpPeer) with plain arguments;
every callback from Java lands in a bound method here, which calls the user's callback under
pyuv's excepthook rules (_call_hook): no Python exception reaches Java and no Java exception
reaches the user (each becomes its pyuv.error class, TypeError, ValueError or RuntimeError).
"""

import operator as _operator
import os as _os
import sys as _sys

import java as _java
import polyglot as _polyglot

from . import error as _error

_Bridge = _java.type('org.pyuv4j.internal.python.Bridge')
_TcpPeer = _java.type('org.pyuv4j.internal.python.TcpPeer')
_JTimer = _java.type('org.pyuv4j.Timer')
_JIdle = _java.type('org.pyuv4j.Idle')
_JPrepare = _java.type('org.pyuv4j.Prepare')
_JCheck = _java.type('org.pyuv4j.Check')
_JLoop = _java.type('org.pyuv4j.Loop')
_JThrowable = _java.type('java.lang.Throwable')

_storage = _polyglot.storage
try:
    _NATIVE_POSIX = __graalpython__.posix_module_backend() == 'native'
except Exception:
    _NATIVE_POSIX = False
_index = _operator.index

UV_RUN_DEFAULT = 0
UV_RUN_ONCE = 1
UV_RUN_NOWAIT = 2

_MISSING = object()
_CLOSED_MSG = 'Handle is closing/closed'
_NOT_INIT_MSG = 'Object was not initialized, forgot to call __init__?'


def _config(name):
    try:
        return _polyglot.import_value(name)
    except Exception:
        return None


_WORKERS = _config('pyuv4j.workers')


# ---------------------------------------------------------------------------- errors

def _xlate(e, default=_error.UVError):
    """The Python exception for a Java one."""
    kind = _Bridge.kind(e)
    if kind == 0:
        return _error.HandleClosedError(_CLOSED_MSG)
    if kind == 1:
        cls = getattr(_error, _Bridge.errorName(e), None)
        if not (isinstance(cls, type) and issubclass(cls, _error.UVError)):
            cls = default
        return cls(_Bridge.errno(e), _Bridge.message(e))
    msg = _Bridge.message(e)
    if kind == 2:
        return ValueError(msg)
    if kind == 3:
        return TypeError(msg)
    return RuntimeError(msg)


def _jcall(method, default=_error.UVError, *args):
    """A Java call whose exceptions (a handle used from another thread...) come out as Python ones."""
    try:
        return method(*args)
    except _JThrowable as e:
        raise _xlate(e, default) from None


def _nargs(name, args, lo, hi):
    n = len(args)
    if lo <= n <= hi:
        return
    if lo == hi:
        how, k = 'exactly', lo
    elif n < lo:
        how, k = 'at least', lo
    else:
        how, k = 'at most', hi
    raise TypeError('%s() takes %s %d argument%s (%d given)' % (name, how, k, '' if k == 1 else 's', n))


def _nokw(owner, name, kwargs):
    if kwargs:
        raise TypeError('%s.%s() takes no keyword arguments' % (owner, name))


def _int(v):
    return _index(v)


def _c_int(v):
    v = _index(v)
    if v > 2147483647:
        raise OverflowError('signed integer is greater than maximum')
    if v < -2147483648:
        raise OverflowError('signed integer is less than minimum')
    return v


def _double(v):
    if isinstance(v, float):
        return v
    if isinstance(v, int):
        return float(v)
    t = type(v)
    if hasattr(t, '__float__') or hasattr(t, '__index__'):
        return float(v)
    raise TypeError('must be real number, not %s' % t.__name__)


def _warn(message, category, stacklevel):
    import warnings
    warnings.warn(message, category, stacklevel + 1)


def _bool_arg(func, pos, v):
    if type(v) is not bool:
        raise TypeError('%s() argument %d must be bool, not %s' % (func, pos, type(v).__name__))
    return v


# ---------------------------------------------------------------------------- excepthook

def _print_exc(typ, value, tb):
    import traceback
    traceback.print_exception(typ, value, tb, file=_sys.stderr)


def _print_current():
    import traceback
    traceback.print_exc(file=_sys.stderr)


def _call_hook(loop):
    """pyuv's handle_uncaught_exception for the exception being handled now."""
    typ, value, tb = _sys.exc_info()
    if value is None:
        return
    try:
        try:
            hook = loop.excepthook
        except AttributeError:
            hook = None
        except BaseException:
            err = _sys.stderr
            err.write('Exception while getting excepthook\n')
            _print_current()
            err.write('\n')
            hook = None
        if hook is None:
            _sys.stderr.write('Unhandled exception in callback\n')
            _print_exc(typ, value, tb)
            return
        if isinstance(value, (SystemExit, KeyboardInterrupt)) and getattr(hook, '__func__', None) is Loop.excepthook:
            # pyuv's default hook is PyErr_Print: SystemExit leaves the program. Here it ends run(),
            # which raises it.
            loop._pending_exit = value
            loop._j.stop()
            return
        try:
            hook(typ, value, tb)
        except BaseException:
            err = _sys.stderr
            err.write('Unhandled exception in excepthook\n')
            _print_current()
            err.write('\n')
            err.write('Unhandled exception in callback\n')
            _print_exc(typ, value, tb)
    except BaseException:
        # Printing failed (a broken sys.stderr): pyuv would lose it as well.
        pass
    finally:
        typ = value = tb = None


# ---------------------------------------------------------------------------- Loop

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

    def excepthook(self, *args):
        _nargs('excepthook', args, 3, 3)
        typ, value, tb = args
        _sys.stderr.write('Unhandled exception in callback\n')
        _print_exc(typ, value, tb)


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

    def close(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'close', kwargs)
        _nargs('close', args, 0, 1)
        cb = args[0] if args else None
        if cb is not None and not callable(cb):
            raise TypeError('a callable or None is required')
        self._close_cb = cb
        try:
            _Bridge.close(j, self._on_close)
        except _JThrowable as e:
            raise self._fail(e) from None
        self._closing = True
        self._closed_hook()

    def _closed_hook(self):
        pass

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


class Timer(Handle):
    """pyuv.Timer: start(callback, timeout, repeat) in seconds."""

    _error_class = _error.TimerError

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 1)
        try:
            j = _JTimer(loop._j)
        except _JThrowable as e:
            raise _xlate(e, _error.TimerError) from None
        self._register(loop, j)
        self._cb = None

    def start(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
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
        try:
            _Bridge.timerStart(j, self._on_timer, timeout, repeat)
        except _JThrowable as e:
            raise self._fail(e) from None

    def _on_timer(self):
        try:
            self._cb(self)
        except BaseException:
            _call_hook(self._loop)

    def stop(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            j.stop()
        except _JThrowable as e:
            raise self._fail(e) from None

    def again(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            j.again()
        except _JThrowable as e:
            raise self._fail(e) from None

    @property
    def repeat(self):
        return float(_jcall(self._j.getRepeat, self._error_class))

    @repeat.setter
    def repeat(self, value):
        j = self._j
        v = _double(value)
        if v < 0.0:
            raise ValueError('a positive float or 0.0 is required')
        try:
            j.setRepeat(v)
        except _JThrowable as e:
            raise self._fail(e) from None

    @repeat.deleter
    def repeat(self):
        raise TypeError('cannot delete attribute')


class _Watcher(Handle):
    _jtype = None

    def __init__(self, *args, **kwargs):
        loop = _check_loop('__init__', args, 1, 1)
        try:
            j = self._jtype(loop._j)
        except _JThrowable as e:
            raise _xlate(e, self._error_class) from None
        self._register(loop, j)
        self._cb = None

    def start(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'start', kwargs)
        _nargs('start', args, 1, 1)
        cb = args[0]
        if not callable(cb):
            raise TypeError('a callable is required')
        self._cb = cb
        try:
            _Bridge.watcherStart(j, self._on_event)
        except _JThrowable as e:
            raise self._fail(e) from None

    def _on_event(self):
        try:
            self._cb(self)
        except BaseException:
            _call_hook(self._loop)

    def stop(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            _Bridge.watcherStop(j)
        except _JThrowable as e:
            raise self._fail(e) from None
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
        try:
            j = _Bridge.newAsync(loop._j, self._on_async)
        except _JThrowable as e:
            raise _xlate(e, _error.AsyncError) from None
        self._register(loop, j)

    def _on_async(self):
        cb = self._cb
        if cb is not None:
            try:
                cb(self)
            except BaseException:
                _call_hook(self._loop)

    def send(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            j.send()
        except _JThrowable as e:
            raise self._fail(e) from None


# ---------------------------------------------------------------------------- streams

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
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'start_read', kwargs)
        _nargs('start_read', args, 1, 1)
        cb = args[0]
        if not callable(cb):
            raise TypeError('a callable is required')
        self._read_cb = cb
        try:
            p.startRead()
        except _JThrowable as e:
            raise self._fail(e) from None

    def stop_read(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            j.stopRead()
        except _JThrowable as e:
            raise self._fail(e) from None

    def write(self, data=_MISSING, callback=None, /, **kwargs):
        # Positional-only, no *args: the hot path allocates no argument tuple.
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
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
        try:
            p.writev(arrays, lengths, cb)
        except _JThrowable as e:
            raise self._fail(e) from None

    def try_write(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'try_write', kwargs)
        _nargs('try_write', args, 1, 1)
        data = args[0]
        b = _buffer(data) if type(data) is not str else None
        if b is None:
            raise _bytes_like_error(data)
        try:
            return int(p.tryWrite(b[0], b[1]))
        except _JThrowable as e:
            raise self._fail(e) from None

    def shutdown(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'shutdown', kwargs)
        _nargs('shutdown', args, 0, 1)
        cb = args[0] if args else None
        try:
            p.shutdown(cb)
        except _JThrowable as e:
            raise self._fail(e) from None

    def listen(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'listen', kwargs)
        _nargs('listen', args, 1, 2)
        cb = args[0]
        backlog = _c_int(args[1]) if len(args) > 1 else 511
        if backlog < 0:
            raise ValueError('backlog must be bigger than 0')
        if not callable(cb):
            raise TypeError('a callable is required')
        try:
            p.listen(cb, backlog)
        except _JThrowable as e:
            raise self._fail(e) from None

    def accept(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw(type(self).__name__, 'accept', kwargs)
        _nargs('accept', args, 1, 1)
        client = args[0]
        if not isinstance(client, Stream):
            raise TypeError('Only stream objects are supported for accept')
        cp = client._p
        try:
            p.accept(cp)
        except _JThrowable as e:
            raise self._fail(e) from None

    def fileno(self):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            return int(j.fileno())
        except _JThrowable as e:
            raise self._fail(e) from None

    def set_blocking(self, *args, **kwargs):
        self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
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


def _parse_addr(addr):
    """pyuv's pyuv_parse_addr_tuple: (host, port[, flowinfo[, scope_id]])."""
    if type(addr) is not tuple and not isinstance(addr, tuple):
        raise TypeError('address must be tuple, not %.500s' % type(addr).__name__)
    n = len(addr)
    if n < 2:
        raise TypeError('function takes at least 2 arguments (%d given)' % n)
    if n > 4:
        raise TypeError('function takes at most 4 arguments (%d given)' % n)
    host = addr[0]
    if not isinstance(host, str):
        raise TypeError('argument 1 must be str, not %s' % ('None' if host is None else type(host).__name__))
    if '\x00' in host:
        raise ValueError('embedded null character')
    port = _c_int(addr[1])
    flowinfo = _index(addr[2]) & 0xFFFFFFFF if n > 2 else 0
    scope_id = _index(addr[3]) & 0xFFFFFFFF if n > 3 else 0
    if port < 0 or port > 65535:
        raise OverflowError('port must be 0-65535')
    if flowinfo > 0xFFFFF:
        raise OverflowError('flowinfo must be 0-1048575')
    if host == '<broadcast>':
        host = '255.255.255.255'
    if scope_id > 0x7FFFFFFF:
        scope_id -= 0x100000000
    return host, port, flowinfo, scope_id


_AF_INET = 2
_AF_INET6 = 10 if _sys.platform.startswith('linux') else (30 if _sys.platform == 'darwin' else 28)


def _family_code(family):
    if family == 0:
        return 0
    if family == _AF_INET:
        return 4
    if family == _AF_INET6:
        return 6
    return -1


class TCP(Stream):
    """pyuv.TCP(loop[, family])."""

    _error_class = _error.TCPError

    def __init__(self, *args, **kwargs):
        # pyuv ignores keyword arguments here (TCP(loop, family=AF_INET) is AF_UNSPEC).
        loop = _check_loop('__init__', args, 1, 2)
        family = _c_int(args[1]) if len(args) > 1 else 0
        code = _family_code(family)
        if code < 0:
            raise _error.TCPError(-22, 'invalid argument')
        if '_j' in self.__dict__:
            raise RuntimeError('Object was already initialized')
        try:
            p = _TcpPeer(loop._j, code, self._on_read, self._on_status)
        except _JThrowable as e:
            raise _xlate(e, _error.TCPError) from None
        d = self.__dict__
        d['_p'] = p
        # Bound host methods: calling one is a plain execute, where p.fill(...) would look the
        # member up on every call (measured on the interpreter: about half the cost of the call).
        d['_fill'] = p.fill
        d['_pwrite'] = p.write
        self._register(loop, p.tcp)
        self._read_cb = None

    def __getattr__(self, name):
        if name in ('_j', '_loop', '_p'):
            raise RuntimeError(_NOT_INIT_MSG)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def bind(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'bind', kwargs)
        _nargs('bind', args, 1, 2)
        flags = _c_int(args[1]) if len(args) > 1 else 0
        host, port, flowinfo, scope_id = _parse_addr(args[0])
        try:
            p.bind(host, port, flowinfo, scope_id, flags)
        except _JThrowable as e:
            raise self._fail(e) from None

    def connect(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'connect', kwargs)
        _nargs('connect', args, 2, 2)
        addr, cb = args
        if not callable(cb):
            raise TypeError('a callable is required')
        host, port, flowinfo, scope_id = _parse_addr(addr)
        try:
            p.connect(host, port, flowinfo, scope_id, cb)
        except _JThrowable as e:
            raise self._fail(e) from None

    def open(self, *args, **kwargs):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'open', kwargs)
        _nargs('open', args, 1, 1)
        fd = _index(args[0])
        if fd < -2147483648 or fd > 2147483647:
            raise _error.TCPError(-9, 'bad file descriptor')
        if _NATIVE_POSIX and fd >= 0:
            # libuv's uv_tcp_open makes the descriptor non-blocking; doing it here with a real
            # fcntl spares the Java side its JDK-internal way (blocked on Java 17 without --add-exports).
            try:
                _os.set_blocking(fd, False)
            except OSError:
                pass
        try:
            p.open(fd)
        except _JThrowable as e:
            raise self._fail(e) from None

    def _name(self, peer):
        p = self._p
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        try:
            a = p.name(peer)
        except _JThrowable as e:
            raise self._fail(e) from None
        if len(a) == 2:
            return (str(a[0]), int(a[1]))
        return (str(a[0]), int(a[1]), int(a[2]), int(a[3]) & 0xFFFFFFFF)

    def getsockname(self):
        return self._name(False)

    def getpeername(self):
        return self._name(True)

    def nodelay(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'nodelay', kwargs)
        _nargs('nodelay', args, 1, 1)
        enable = _bool_arg('nodelay', 1, args[0])
        try:
            j.nodelay(enable)
        except _JThrowable as e:
            raise self._fail(e) from None

    def keepalive(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'keepalive', kwargs)
        _nargs('keepalive', args, 2, 2)
        enable = _bool_arg('keepalive', 1, args[0])
        delay = _index(args[1]) & 0xFFFFFFFF
        if delay > 2147483647:
            delay = 2147483647
        try:
            j.keepalive(enable, delay)
        except _JThrowable as e:
            raise self._fail(e) from None

    def simultaneous_accepts(self, *args, **kwargs):
        j = self._j
        if self._closing:
            raise _error.HandleClosedError(_CLOSED_MSG)
        _nokw('TCP', 'simultaneous_accepts', kwargs)
        _nargs('simultaneous_accepts', args, 1, 1)
        enable = _bool_arg('simultaneous_accepts', 1, args[0])
        try:
            j.simultaneousAccepts(enable)
        except _JThrowable as e:
            raise self._fail(e) from None

    @property
    def family(self):
        try:
            return _AF_INET6 if self._p.family() == 6 else _AF_INET
        except _JThrowable as e:
            raise self._fail(e) from None

    @property
    def send_buffer_size(self):
        try:
            return int(self._j.getSendBufferSize())
        except _JThrowable as e:
            raise self._fail(e) from None

    @send_buffer_size.setter
    def send_buffer_size(self, value):
        j = self._j
        v = _c_int(value)
        try:
            j.setSendBufferSize(v)
        except _JThrowable as e:
            raise self._fail(e) from None

    @send_buffer_size.deleter
    def send_buffer_size(self):
        raise TypeError('cannot delete attribute')

    @property
    def receive_buffer_size(self):
        try:
            return int(self._j.getReceiveBufferSize())
        except _JThrowable as e:
            raise self._fail(e) from None

    @receive_buffer_size.setter
    def receive_buffer_size(self, value):
        j = self._j
        v = _c_int(value)
        try:
            j.setReceiveBufferSize(v)
        except _JThrowable as e:
            raise self._fail(e) from None

    @receive_buffer_size.deleter
    def receive_buffer_size(self):
        raise TypeError('cannot delete attribute')


# ---------------------------------------------------------------------------- not implemented

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
