"""Exceptions in callbacks, from Python: pyuv's excepthook lookup and its messages on stderr;
the loop goes on."""

import io
import sys
import unittest

import pyuv


class Capture(object):
    def __enter__(self):
        self.old = sys.stderr
        sys.stderr = io.StringIO()
        return self

    def __exit__(self, *exc):
        self.text = sys.stderr.getvalue()
        sys.stderr = self.old


def raise_in_idle(loop, exc):
    def cb(h):
        h.close()
        raise exc
    i = pyuv.Idle(loop)
    i.start(cb)


class ExcepthookTest(unittest.TestCase):
    def test_hook_gets_type_value_traceback_and_loop_goes_on(self):
        loop = pyuv.Loop()
        calls = []
        loop.excepthook = lambda t, v, tb: calls.append((t, v, tb))
        exc = KeyError('k')
        raise_in_idle(loop, exc)
        raise_in_idle(loop, ValueError('v'))
        self.assertIs(loop.run(), False)
        self.assertEqual(len(calls), 2)
        # idle callbacks run in reverse order of start(): the ValueError first
        self.assertEqual([c[0] for c in calls], [ValueError, KeyError])
        self.assertIs(calls[1][1], exc)
        self.assertIsNotNone(calls[1][2])

    def test_default_hook_prints(self):
        loop = pyuv.Loop()
        raise_in_idle(loop, RuntimeError('Bad'))
        with Capture() as c:
            loop.run()
        self.assertTrue(c.text.startswith('Unhandled exception in callback\nTraceback'), c.text)
        self.assertTrue(c.text.endswith('RuntimeError: Bad\n'), c.text)

    def test_hook_that_raises(self):
        loop = pyuv.Loop()

        def hook(t, v, tb):
            raise NameError('abc')
        loop.excepthook = hook
        raise_in_idle(loop, RuntimeError('Bad'))
        with Capture() as c:
            loop.run()
        self.assertRegex(c.text, '(?s)^Unhandled exception in excepthook\n.*NameError: abc\n\n'
                                 'Unhandled exception in callback\n.*RuntimeError: Bad\n$')

    def test_lookup_that_raises(self):
        class Bad(pyuv.Loop):
            @property
            def excepthook(self):
                raise TypeError('oops')
        loop = Bad()
        raise_in_idle(loop, RuntimeError('Bad'))
        with Capture() as c:
            loop.run()
        self.assertRegex(c.text, '(?s)^Exception while getting excepthook\n.*TypeError: oops\n\n'
                                 'Unhandled exception in callback\n.*RuntimeError: Bad\n$')

    def test_none_hook(self):
        loop = pyuv.Loop()
        loop.excepthook = None
        raise_in_idle(loop, RuntimeError('Bad'))
        with Capture() as c:
            loop.run()
        self.assertTrue(c.text.startswith('Unhandled exception in callback\n'))

    def test_overridden_method(self):
        seen = []

        class MyLoop(pyuv.Loop):
            def excepthook(self, t, v, tb):
                seen.append(v)
        loop = MyLoop()
        e = RuntimeError('x')
        raise_in_idle(loop, e)
        loop.run()
        self.assertEqual(seen, [e])

    @unittest.skipUnless(hasattr(pyuv.Loop, '_setup'), 'pyuv4j: pyuv exits the process instead')
    def test_system_exit_with_the_default_hook_ends_run(self):
        loop = pyuv.Loop()
        after = []
        t = pyuv.Timer(loop)
        t.start(lambda h: after.append(1), 0.5, 0)
        raise_in_idle(loop, SystemExit(3))
        with self.assertRaises(SystemExit) as cm:
            loop.run()
        self.assertEqual(cm.exception.code, 3)
        self.assertEqual(after, [])
        t.close()
        loop.run()

    def test_every_callback_kind_goes_through_the_hook(self):
        loop = pyuv.Loop()
        seen = []
        loop.excepthook = lambda t, v, tb: seen.append(str(v))

        def boom(name):
            def f(*args):
                raise RuntimeError(name)
            return f
        t = pyuv.Timer(loop)
        t.start(lambda h: (h.close(boom('close')), boom('timer')()), 0, 0)
        a = pyuv.Async(loop, lambda h: (h.close(), boom('async')()))
        a.send()
        loop.queue_work(lambda: None, boom('done'))
        server = pyuv.TCP(loop)
        server.bind(('127.0.0.1', 0))
        server.listen(lambda s, e: (s.close(), boom('listen')()))
        c = pyuv.TCP(loop)

        def on_connect(h, e):
            h.write(b'x', boom('write'))
            h.close()
            raise RuntimeError('connect')
        c.connect(server.getsockname(), on_connect)
        loop.run()
        self.assertEqual(sorted(seen), sorted(['timer', 'close', 'async', 'done', 'listen', 'connect', 'write']))

    def test_exception_in_read_callback(self):
        loop = pyuv.Loop()
        seen = []
        loop.excepthook = lambda t, v, tb: seen.append(v)

        def on_conn(s, e):
            c = pyuv.TCP(loop)
            s.accept(c)
            c.write(b'data')
            c.close()
            s.close()
        server = pyuv.TCP(loop)
        server.bind(('127.0.0.1', 0))
        server.listen(on_conn)
        c = pyuv.TCP(loop)
        reads = []

        def on_read(h, data, error):
            reads.append((data, error))
            if data is None:
                h.close()
            raise ValueError(len(reads))
        c.connect(server.getsockname(), lambda h, e: h.start_read(on_read))
        loop.run()
        self.assertEqual(reads, [(b'data', None), (None, pyuv.errno.UV_EOF)])
        self.assertEqual(len(seen), 2)


if __name__ == '__main__':
    unittest.main()
