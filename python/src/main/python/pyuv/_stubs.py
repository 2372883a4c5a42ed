"""Modules of pyuv that pyuv4j-python does not implement: importable, and each function raises
NotImplementedError when called (never at import)."""


def make(module, names):
    g = module.__dict__

    def stub(name):
        def f(*args, **kwargs):
            raise NotImplementedError('pyuv.%s.%s is not implemented by pyuv4j-python (see docs/PYTHON.md)'
                                      % (module.__name__.rsplit('.', 1)[-1], name))
        f.__name__ = name
        f.__qualname__ = name
        return f

    for n in names:
        g[n] = stub(n)
