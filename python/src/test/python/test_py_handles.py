"""Handle behaviours and the watcher handles (Timer, Idle, Prepare, Check, Async), from Python:
close (callbacks, LIFO order, not idempotent), closed/active/ref/loop, argument checks."""

import threading
import time
import unittest
import warnings

import pyuv
from pyuv4j_testing import LoopTestCase


class CloseTest(LoopTestCase):
    def test_close_twice_raises_handle_closed_error(self):
        t = pyuv.Timer(self.loop)
        t.close()
        with self.assertRaises(pyuv.error.HandleClosedError) as cm:
            t.close()
        self.assertEqual(cm.exception.args, ('Handle is closing/closed',))
        self.assertIsInstance(cm.exception, pyuv.error.HandleError)

    def test_close_callbacks_are_lifo_and_asynchronous(self):
        order = []
        timers = [pyuv.Timer(self.loop) for _ in range(3)]
        for i, t in enumerate(timers):
            t.close(lambda h, i=i: order.append(i))
        self.assertEqual(order, [])
        self.loop.run()
        self.assertEqual(order, [2, 1, 0])

    def test_close_callback_argument_checked(self):
        t = pyuv.Timer(self.loop)
        with self.assertRaises(TypeError) as cm:
            t.close(1)
        self.assertEqual(cm.exception.args, ('a callable or None is required',))
        self.assertFalse(t.closed)

    def test_loop_attribute_cleared_after_close_callback(self):
        t = pyuv.Timer(self.loop)
        during = []
        t.close(lambda h: during.append(h.loop))
        self.assertIs(t.loop, self.loop)
        self.loop.run()
        self.assertEqual(during, [self.loop])
        self.assertIsNone(t.loop)

    def test_flags(self):
        t = pyuv.Timer(self.loop)
        self.assertFalse(t.active)
        self.assertFalse(t.closed)
        self.assertTrue(t.ref)
        t.start(lambda h: None, 10, 0)
        self.assertTrue(t.active)
        t.ref = False
        self.assertFalse(t.ref)
        t.ref = 1
        self.assertTrue(t.ref)
        t.close()
        self.assertTrue(t.closed)
        self.assertFalse(t.active)
        t.ref = True  # allowed on closed handles
        self.loop.run()
        self.assertFalse(t.ref)

    def test_closed_handle_methods_raise(self):
        t = pyuv.Timer(self.loop)
        t.close()
        for call in (lambda: t.start(lambda h: None, 1, 0), t.stop, t.again):
            self.assertRaises(pyuv.error.HandleClosedError, call)

    def test_uninitialized_subclass(self):
        class Lazy(pyuv.Timer):
            def __init__(self, loop):
                pass
        h = Lazy(self.loop)
        with self.assertRaises(RuntimeError) as cm:
            h.close()
        self.assertEqual(cm.exception.args, ('Object was not initialized, forgot to call __init__?',))
        self.assertRaises(RuntimeError, lambda: h.active)

    def test_constructor_needs_a_loop(self):
        with self.assertRaises(TypeError) as cm:
            pyuv.Timer(None)
        self.assertEqual(cm.exception.args, ('__init__() argument 1 must be pyuv._cpyuv.Loop, not None',))
        self.assertRaises(TypeError, pyuv.Timer)
        self.assertRaises(TypeError, pyuv.Idle, 42)

    def test_handle_subclass_with_dict(self):
        class MyTimer(pyuv.Timer):
            pass
        t = MyTimer(self.loop)
        t.payload = [1]
        self.assertEqual(t.payload, [1])
        self.assertEqual(self.loop.handles, [t])


class ThreadTest(LoopTestCase):
    @unittest.skipUnless(__import__('pyuv4j_testing').ON_PYUV4J, 'pyuv4j: handles belong to the loop thread')
    def test_other_thread_gets_runtime_error_not_a_java_exception(self):
        t = pyuv.Timer(self.loop)
        t.start(lambda h: None, 10, 0)
        self.loop.run(pyuv.UV_RUN_NOWAIT)
        errors = []

        def other():
            for call in (lambda: t.active, t.stop, lambda: setattr(t, 'ref', False), self.loop.now):
                try:
                    call()
                except Exception as e:
                    errors.append(type(e))
        th = threading.Thread(target=other)
        th.start()
        th.join()
        self.assertEqual(errors, [RuntimeError] * 4)
        t.close()


class TimerTest(LoopTestCase):
    def test_start_arguments(self):
        t = pyuv.Timer(self.loop)
        with self.assertRaises(TypeError) as cm:
            t.start(1, 1, 1)
        self.assertEqual(cm.exception.args, ('a callable is required',))
        with self.assertRaises(TypeError) as cm:
            t.start(lambda h: None, 'x', 1)
        self.assertEqual(cm.exception.args, ('must be real number, not str',))
        with self.assertRaises(ValueError) as cm:
            t.start(lambda h: None, -1, 0)
        self.assertEqual(cm.exception.args, ('a positive value or zero is required',))
        self.assertRaises(ValueError, t.start, lambda h: None, 0, -1)
        self.assertRaises(TypeError, t.start)
        t.start(callback=lambda h: None, timeout=1, repeat=0)
        self.assertTrue(t.active)

    def test_submillisecond_warning(self):
        t = pyuv.Timer(self.loop)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            t.start(lambda h: h.close(), 0.0001, 0)
        self.assertEqual(len(w), 1)
        self.assertTrue(issubclass(w[0].category, RuntimeWarning))
        self.loop.run()

    def test_repeat_and_again(self):
        t = pyuv.Timer(self.loop)
        self.assertEqual(t.repeat, 0.0)
        t.repeat = 0.5
        self.assertEqual(t.repeat, 0.5)
        with self.assertRaises(ValueError) as cm:
            t.repeat = -1
        self.assertEqual(cm.exception.args, ('a positive float or 0.0 is required',))
        ticks = []

        def cb(h):
            ticks.append(h)
            if len(ticks) == 3:
                h.close()
        t.start(cb, 0.001, 0.001)
        self.loop.run()
        self.assertEqual(len(ticks), 3)
        self.assertIs(ticks[0], t)

    def test_again_before_start_raises_timer_error(self):
        t = pyuv.Timer(self.loop)
        with self.assertRaises(pyuv.error.TimerError) as cm:
            t.again()
        self.assertEqual(cm.exception.args[0], pyuv.errno.UV_EINVAL)

    def test_timers_fire_in_due_order(self):
        order = []
        for delay, name in ((0.03, 'c'), (0.01, 'a'), (0.02, 'b')):
            t = pyuv.Timer(self.loop)
            t.start(lambda h, n=name: (order.append(n), h.close()), delay, 0)
        self.loop.run()
        self.assertEqual(order, ['a', 'b', 'c'])

    def test_unreferenced_timer_does_not_keep_the_loop(self):
        called = []
        t = pyuv.Timer(self.loop)
        t.start(lambda h: called.append(1), 0.05, 0)
        t.ref = False
        self.loop.run()
        self.assertEqual(called, [])


class WatcherTest(LoopTestCase):
    def test_idle_prepare_check_arguments(self):
        for cls in (pyuv.Idle, pyuv.Prepare, pyuv.Check):
            h = cls(self.loop)
            with self.assertRaises(TypeError) as cm:
                h.start(1)
            self.assertEqual(cm.exception.args, ('a callable is required',))
            h.close()

    def test_idle_callbacks_reverse_start_order(self):
        order = []
        idles = [pyuv.Idle(self.loop) for _ in range(3)]
        for i, h in enumerate(idles):
            h.start(lambda h, i=i: order.append(i))
        self.loop.run(pyuv.UV_RUN_NOWAIT)
        self.assertEqual(order, [2, 1, 0])
        for h in idles:
            h.close()

    def test_stop_and_restart(self):
        count = [0]
        p = pyuv.Prepare(self.loop)
        p.start(lambda h: count.__setitem__(0, count[0] + 1))
        self.loop.run(pyuv.UV_RUN_NOWAIT)
        p.stop()
        self.assertFalse(p.active)
        self.loop.run(pyuv.UV_RUN_NOWAIT)
        self.assertEqual(count[0], 1)
        p.start(lambda h: h.close())
        self.loop.run()

    def test_check_runs_after_poll(self):
        order = []
        c = pyuv.Check(self.loop)
        c.start(lambda h: (order.append('check'), h.close()))
        t = pyuv.Timer(self.loop)
        t.start(lambda h: (order.append("timer"), h.close()), 0.2, 0)
        self.loop.run()
        self.assertEqual(order[0], 'check')
        self.assertIn('timer', order)


class AsyncTest(LoopTestCase):
    def test_send_from_threads_coalesces(self):
        calls = []
        a = pyuv.Async(self.loop, lambda h: (calls.append(h), h.close()))

        def sender():
            for _ in range(100):
                a.send()
        threads = [threading.Thread(target=sender) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.loop.run()
        self.assertEqual(calls, [a])

    def test_async_without_callback_and_active(self):
        a = pyuv.Async(self.loop)
        self.assertTrue(a.active)
        stopper = pyuv.Timer(self.loop)

        def later(t):
            a.send()
            a.close()
            t.close()
        stopper.start(later, 0.01, 0)
        self.loop.run()
        self.assertFalse(self.loop.alive)

    def test_callback_argument_checked(self):
        with self.assertRaises(TypeError) as cm:
            pyuv.Async(self.loop, 1)
        self.assertEqual(cm.exception.args, ('a callable is required',))

    def test_send_wakes_a_blocked_loop(self):
        a = pyuv.Async(self.loop, lambda h: h.close())
        threading.Timer(0.05, a.send).start()
        t0 = time.time()
        self.loop.run()
        self.assertLess(time.time() - t0, 5)


if __name__ == '__main__':
    unittest.main()
