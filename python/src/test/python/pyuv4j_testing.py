"""Helpers of pyuv4j-python's own Python tests. The tests are plain pyuv programs: they also run on
CPython with the real pyuv 1.4 (where the pyuv4j-only checks are skipped)."""

import sys
import unittest

import pyuv

ON_PYUV4J = hasattr(pyuv.Loop, '_setup')


def transport(loop):
    """'epoll', 'nio'... on pyuv4j; 'libuv' on real pyuv."""
    if ON_PYUV4J:
        return str(loop._j.getTransport())
    return 'libuv'


def has_fds(loop):
    """Whether TCP.open(fd) and fileno() work: real pyuv, or pyuv4j on a native transport."""
    return transport(loop) != 'nio'


class RecordingLoop(pyuv.Loop):
    """A loop whose excepthook records the exception and stops the loop; run() raises it (as
    pyuv's tests/common.py TestLoop, written again for this project)."""

    def __init__(self):
        super().__init__()
        self.excepthook = self._record
        self.errors = []

    def _record(self, typ, value, tb):
        self.errors.append(value)
        self.stop()

    def run(self, *args):
        result = super().run(*args)
        if self.errors:
            e = self.errors.pop(0)
            raise e
        return result


class LoopTestCase(unittest.TestCase):
    def setUp(self):
        self.loop = RecordingLoop()

    def tearDown(self):
        for h in self.loop.handles:
            try:
                h.close()
            except pyuv.error.HandleClosedError:
                pass
        self.loop.run()

    def tcp_pair(self, on_server_conn=None):
        """A listening server on 127.0.0.1:<ephemeral>; returns (server, port)."""
        server = pyuv.TCP(self.loop)
        server.bind(('127.0.0.1', 0))
        server.listen(on_server_conn or (lambda s, e: None))
        return server, server.getsockname()[1]
