"""pyuv.thread: not implemented by pyuv4j-python (use the threading module)."""
import sys as _sys
from . import _stubs
_stubs.make(_sys.modules[__name__], ['Barrier', 'Condition', 'Mutex', 'RWLock', 'Semaphore'])
