"""Loop, seen from Python: run modes and their results, stop, time, alive, handles, get_timeout,
queue_work, default_loop, argument checks."""

import threading
import time
import unittest

import pyuv
from pyuv4j_testing import LoopTestCase, ON_PYUV4J


class LoopConstructionTest(unittest.TestCase):
    def test_no_parameters(self):
        with self.assertRaises(TypeError) as cm:
            pyuv.Loop(1)
        self.assertEqual(cm.exception.args, ('Loop initialization takes no parameters',))
        with self.assertRaises(TypeError):
            pyuv.Loop(x=1)

    def test_default_loop_is_a_singleton(self):
        a = pyuv.Loop.default_loop()
        self.assertIs(a, pyuv.Loop.default_loop())
        self.assertTrue(a.default)
        self.assertFalse(pyuv.Loop().default)

    def test_subclass_with_attributes(self):
        class MyLoop(pyuv.Loop):
            def __init__(self):
                super().__init__()
                self.extra = 42
        loop = MyLoop()
        self.assertEqual(loop.extra, 42)
        loop.anything = 'x'
        self.assertEqual(loop.anything, 'x')
        self.assertIsInstance(loop, pyuv.Loop)
        self.assertFalse(hasattr(loop, 'walk'))

    def test_constants(self):
        self.assertEqual((pyuv.UV_RUN_DEFAULT, pyuv.UV_RUN_ONCE, pyuv.UV_RUN_NOWAIT), (0, 1, 2))
        self.assertEqual(pyuv.UV_TCP_IPV6ONLY, 1)
        self.assertEqual(pyuv.__version__, '1.4.0')


class LoopRunTest(LoopTestCase):
    def test_empty_loop_returns_false_in_every_mode(self):
        for mode in (pyuv.UV_RUN_DEFAULT, pyuv.UV_RUN_ONCE, pyuv.UV_RUN_NOWAIT):
            self.assertIs(self.loop.run(mode), False)

    def test_invalid_mode(self):
        with self.assertRaises(ValueError) as cm:
            self.loop.run(3)
        self.assertEqual(cm.exception.args, ('invalid mode specified',))
        self.assertRaises(TypeError, self.loop.run, 'x')
        self.assertRaises(TypeError, self.loop.run, 1.5)

    def test_once_returns_alive_until_done(self):
        results = []
        count = [0]

        def cb(t):
            count[0] += 1
            if count[0] == 3:
                t.close()
        t = pyuv.Timer(self.loop)
        t.start(cb, 0.001, 0.001)
        while True:
            r = self.loop.run(pyuv.UV_RUN_ONCE)
            results.append(r)
            if not r:
                break
        self.assertEqual(count[0], 3)
        self.assertIs(results[-1], False)
        self.assertTrue(all(results[:-1]))

    def test_nowait_with_pending_timer(self):
        t = pyuv.Timer(self.loop)
        t.start(lambda t: None, 10, 0)
        self.assertIs(self.loop.run(pyuv.UV_RUN_NOWAIT), True)
        t.close()

    def test_stop_with_work_left_returns_true(self):
        def cb(t):
            self.loop.stop()
        t = pyuv.Timer(self.loop)
        t.start(cb, 0.001, 0.001)
        self.assertIs(self.loop.run(), True)
        t.close()
        self.assertIs(self.loop.run(), False)

    def test_stop_before_run_runs_nothing(self):
        called = []
        t = pyuv.Timer(self.loop)
        t.start(lambda t: called.append(1), 0, 0)
        self.loop.stop()
        self.assertIs(self.loop.run(), True)
        self.assertEqual(called, [])
        self.loop.run()
        self.assertEqual(called, [1])

    def test_phase_order(self):
        order = []
        idle = pyuv.Idle(self.loop)
        prepare = pyuv.Prepare(self.loop)
        check = pyuv.Check(self.loop)
        timer = pyuv.Timer(self.loop)
        timer.start(lambda h: order.append('timer'), 0, 0)
        idle.start(lambda h: order.append('idle'))
        prepare.start(lambda h: order.append('prepare'))
        check.start(lambda h: order.append('check'))
        self.loop.run(pyuv.UV_RUN_NOWAIT)
        self.assertEqual(order, ['timer', 'idle', 'prepare', 'check'])
        for h in (idle, prepare, check, timer):
            h.close()

    def test_callbacks_run_inside_run_on_this_thread(self):
        seen = []
        t = pyuv.Timer(self.loop)
        t.start(lambda h: seen.append(threading.current_thread()), 0, 0)
        self.assertEqual(seen, [])
        self.loop.run()
        self.assertEqual(seen, [threading.current_thread()])


class LoopStateTest(LoopTestCase):
    def test_now_and_update_time(self):
        n = self.loop.now()
        self.assertIsInstance(n, int)
        time.sleep(0.02)
        self.assertEqual(self.loop.now(), n)
        self.assertIsNone(self.loop.update_time())
        self.assertGreaterEqual(self.loop.now() - n, 15)

    def test_alive(self):
        self.assertFalse(self.loop.alive)
        t = pyuv.Timer(self.loop)
        t.start(lambda t: None, 10, 0)
        self.assertTrue(self.loop.alive)
        t.ref = False
        self.assertFalse(self.loop.alive)
        t.close()
        self.assertTrue(self.loop.alive)  # closing handles count
        self.loop.run()
        self.assertFalse(self.loop.alive)

    def test_handles_includes_closing_ones(self):
        t = pyuv.Timer(self.loop)
        self.assertEqual(self.loop.handles, [t])
        seen = []
        t.close(lambda h: seen.append(list(self.loop.handles)))
        self.assertEqual(self.loop.handles, [t])
        self.loop.run()
        self.assertEqual(seen, [[]])
        self.assertEqual(self.loop.handles, [])

    def test_get_timeout(self):
        self.assertEqual(self.loop.get_timeout(), 0.0)
        t = pyuv.Timer(self.loop)
        t.start(lambda t: None, 10, 0)
        self.assertAlmostEqual(self.loop.get_timeout(), 10.0, delta=0.002)
        t.stop()
        server = pyuv.TCP(self.loop)
        server.bind(('127.0.0.1', 0))
        server.listen(lambda s, e: None)
        self.assertEqual(self.loop.get_timeout(), -0.001)
        idle = pyuv.Idle(self.loop)
        idle.start(lambda h: None)
        self.assertEqual(self.loop.get_timeout(), 0.0)
        for h in (t, server, idle):
            h.close()


class QueueWorkTest(LoopTestCase):
    def test_argument_checks(self):
        with self.assertRaises(TypeError) as cm:
            self.loop.queue_work(1)
        self.assertEqual(cm.exception.args, ('a callable is required',))
        with self.assertRaises(TypeError) as cm:
            self.loop.queue_work(lambda: None, 1)
        self.assertEqual(cm.exception.args, ('done_cb must be a callable or None',))

    def test_work_off_the_loop_thread_done_on_it(self):
        where = {}

        def work():
            where['work'] = threading.current_thread()

        def done(error):
            where['done'] = threading.current_thread()
            where['error'] = error
        req = self.loop.queue_work(work, done)
        self.assertIs(req.loop, self.loop)
        self.loop.run()
        self.assertIsNot(where['work'], threading.current_thread())
        self.assertIs(where['done'], threading.current_thread())
        self.assertIsNone(where['error'])

    def test_cancel_a_queued_request(self):
        results = []
        reqs = [self.loop.queue_work(lambda: time.sleep(0.2), results.append) for _ in range(6)]
        self.assertTrue(reqs[-1].cancel())
        self.loop.run()
        self.assertEqual(results[0], pyuv.errno.UV_ECANCELED)
        self.assertEqual(results[1:], [None] * 5)
        self.assertFalse(reqs[0].cancel())

    def test_exception_in_work_is_printed_not_hooked(self):
        import io
        import sys
        done = []
        old = sys.stderr
        sys.stderr = io.StringIO()
        try:
            self.loop.queue_work(lambda: 1 / 0, done.append)
            self.loop.run()
            out = sys.stderr.getvalue()
        finally:
            sys.stderr = old
        self.assertEqual(done, [None])
        self.assertIn('ZeroDivisionError', out)
        self.assertEqual(self.loop.errors, [])


if __name__ == '__main__':
    unittest.main()
