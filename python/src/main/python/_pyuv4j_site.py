"""Run at the start of every pyuv4j-python context: 'import pyuv' always means this package, even
when a program puts another pyuv (a CPython build, e.g. a checkout's ../) first on sys.path, as
pyuv's own tests/common.py does."""

import sys as _sys

_HERE = __file__.rpartition('/')[0]


class _PyuvFinder(object):
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != 'pyuv':
            return None
        for finder in _sys.meta_path:
            if getattr(finder, '__name__', None) == 'PathFinder':
                return finder.find_spec(fullname, [_HERE])
        return None

    @classmethod
    def invalidate_caches(cls):
        pass


if not any(f is _PyuvFinder or getattr(f, '__name__', None) == '_PyuvFinder' for f in _sys.meta_path):
    _sys.meta_path.insert(0, _PyuvFinder)
