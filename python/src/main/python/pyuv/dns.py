"""pyuv.dns: not implemented by pyuv4j-python (getaddrinfo, getnameinfo raise NotImplementedError)."""
import sys as _sys
from . import _stubs
_stubs.make(_sys.modules[__name__], ['getaddrinfo', 'getnameinfo'])
