"""What every pyuv4j-python module shares: the Java types, the Java-to-Python exception mapping
(_xlate, _jcall), pyuv's argument checks and its excepthook rules (_call_hook).

Every Java call goes through org.pyuv4j.internal.python (Bridge, TcpPeer) with plain arguments;
every callback from Java lands in a bound method of a handle, which calls the user's callback under
pyuv's excepthook rules: no Python exception reaches Java and no Java exception reaches the user
(each becomes its pyuv.error class, TypeError, ValueError or RuntimeError).
"""

import operator as _operator
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
        if isinstance(value, (SystemExit, KeyboardInterrupt)) and getattr(hook, '__func__', None) is _default_excepthook:
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


def _default_excepthook(self, *args):
    """Loop.excepthook: print the exception as pyuv does (its PyErr_Print)."""
    _nargs('excepthook', args, 3, 3)
    typ, value, tb = args
    _sys.stderr.write('Unhandled exception in callback\n')
    _print_exc(typ, value, tb)


_default_excepthook.__name__ = 'excepthook'
_default_excepthook.__qualname__ = 'Loop.excepthook'
