"""pyuv.errno and pyuv.error from Python, and the parts of pyuv that pyuv4j does not implement."""

import unittest

import pyuv
from pyuv4j_testing import LoopTestCase, ON_PYUV4J


class ErrnoTest(unittest.TestCase):
    def test_codes(self):
        self.assertEqual(len(pyuv.errno.errorcode), 76)
        self.assertEqual(pyuv.errno.UV_EOF, -4095)
        self.assertEqual(pyuv.errno.errorcode[-4095], 'UV_EOF')
        self.assertEqual(pyuv.errno.UV_ECONNREFUSED, -111)
        for code, name in pyuv.errno.errorcode.items():
            self.assertEqual(getattr(pyuv.errno, name), code)

    def test_strerror(self):
        self.assertEqual(pyuv.errno.strerror(pyuv.errno.UV_EOF), 'end of file')
        self.assertEqual(pyuv.errno.strerror(-11), 'resource temporarily unavailable')
        self.assertEqual(pyuv.errno.strerror(0), 'Unknown system error 0')
        self.assertEqual(pyuv.errno.strerror(-99999), 'Unknown system error -99999')
        self.assertRaises(TypeError, pyuv.errno.strerror, 'x')


class ErrorTest(unittest.TestCase):
    def test_hierarchy(self):
        e = pyuv.error
        self.assertTrue(issubclass(e.TCPError, e.StreamError))
        self.assertTrue(issubclass(e.StreamError, e.HandleError))
        self.assertTrue(issubclass(e.HandleClosedError, e.HandleError))
        self.assertTrue(issubclass(e.HandleError, e.UVError))
        self.assertTrue(issubclass(e.UVError, Exception))
        for name in ('TimerError', 'AsyncError', 'IdleError', 'PrepareError', 'CheckError', 'SignalError',
                     'UDPError', 'PollError', 'ProcessError', 'FSEventError', 'FSPollError'):
            self.assertTrue(issubclass(getattr(e, name), e.HandleError), name)
        for name in ('PipeError', 'TTYError'):
            self.assertTrue(issubclass(getattr(e, name), e.StreamError), name)
        self.assertTrue(issubclass(e.FSError, e.UVError))
        self.assertTrue(issubclass(e.ThreadError, e.UVError))
        self.assertFalse(hasattr(e, 'DNSError'))

    def test_args_and_str(self):
        loop = pyuv.Loop()
        t = pyuv.TCP(loop)
        try:
            t.write(b'x')
        except pyuv.error.TCPError as exc:
            self.assertEqual(exc.args, (-9, 'bad file descriptor'))
            self.assertEqual(str(exc), "(-9, 'bad file descriptor')")
            self.assertIsNone(exc.__cause__)
            if ON_PYUV4J:
                self.assertIsNone(exc.__context__)
        else:
            self.fail('no error')
        t.close()
        loop.run()


class NotImplementedTest(LoopTestCase):
    @unittest.skipUnless(ON_PYUV4J, 'pyuv4j-python only')
    def test_unimplemented_parts_fail_when_used_not_when_imported(self):
        import pyuv.fs  # noqa: F401 -- importable
        from pyuv import dns, util, thread  # noqa: F401
        for make in (lambda: pyuv.Pipe(self.loop), lambda: pyuv.UDP(self.loop), lambda: pyuv.TTY(self.loop, 0, True),
                     lambda: pyuv.Poll(self.loop, 0), lambda: pyuv.Process(self.loop),
                     lambda: pyuv.fs.stat(self.loop, '/'), lambda: pyuv.dns.getaddrinfo(self.loop, 'localhost'),
                     lambda: pyuv.thread.Mutex(), lambda: pyuv.util.cpu_info()):
            with self.assertRaises(NotImplementedError) as cm:
                make()
            self.assertIn('not implemented by pyuv4j-python', str(cm.exception))
        self.assertIsInstance(pyuv.util.hrtime(), int)


if __name__ == '__main__':
    unittest.main()
