"""pyuv.util: not implemented by pyuv4j-python, except hrtime()."""
import sys as _sys
import time as _time
from . import _stubs
_stubs.make(_sys.modules[__name__], ['SignalChecker', 'cpu_info', 'get_free_memory', 'get_total_memory',
                                     'getrusage', 'guess_handle_type', 'interface_addresses', 'loadavg',
                                     'resident_set_memory', 'uptime'])


def hrtime():
    """Monotonic time in nanoseconds (libuv's uv_hrtime)."""
    return _time.monotonic_ns()
