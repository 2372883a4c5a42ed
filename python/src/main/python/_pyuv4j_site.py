"""Run at the start of every pyuv4j-python context: 'import pyuv' always means this package, even
when a program puts another pyuv (a CPython build, e.g. a checkout's ../) first on sys.path, as
pyuv's own tests/common.py does."""

import importlib.machinery as _machinery
import os as _os
import sys as _sys

_HERE = _os.path.dirname(__file__)


class _PyuvFinder(object):
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != 'pyuv':
            return None
        return _machinery.PathFinder.find_spec(fullname, [_HERE])

    @classmethod
    def invalidate_caches(cls):
        pass


if not any(f is _PyuvFinder or getattr(f, '__name__', None) == '_PyuvFinder' for f in _sys.meta_path):
    _sys.meta_path.insert(0, _PyuvFinder)
