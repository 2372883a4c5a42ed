package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.Latches.await;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.LogCapture;
import org.pyuv4j.test.UvTestCase;
import org.slf4j.event.Level;

/** pyuv's {@code tests/test_threadpool.py} (3 tests), then the rest of pyuv-spec §1.8. */
class ThreadpoolTest extends UvTestCase {
    private final AtomicInteger poolCbCalled = new AtomicInteger();
    private int poolAfterWorkCbCalled;

    /**
     * Stands for pyuv's {@code time.sleep(0.1)} in run_in_pool: the work lasts until a timer of the
     * test's loop fires, so the loop is really running while the work is in flight (no sleeping).
     */
    private CountDownLatch workDone;

    /** The work: counts and lasts until the loop's 0.1 s timer (as pyuv's run_in_pool). */
    private void runInPool() {
        poolCbCalled.incrementAndGet();
        await(workDone);
    }

    /**
     * A latch released by an unreferenced timer of {@code l} after {@code seconds}: work items that wait
     * on it take that long, and only the work (not the timer) keeps the loop alive.
     */
    static CountDownLatch releasedAfter(Loop l, double seconds) {
        CountDownLatch latch = new CountDownLatch(1);
        Timer t = new Timer(l);
        t.start(h -> {
            latch.countDown();
            h.close();
        }, seconds, 0);
        t.setRef(false);
        return latch;
    }

    private void afterWorkCb(Integer error) {
        assertNull(error);
        poolAfterWorkCbCalled++;
    }

    @Test
    void test_threadpool1() {
        workDone = releasedAfter(loop, 0.1);
        loop.queueWork(this::runInPool, this::afterWorkCb);
        // pyuv passes functools.partial(run_in_pool, 1, 2, 3) and (test=1): the Java work takes no arguments,
        // so they become captured values.
        int[] args = {1, 2, 3};
        loop.queueWork(() -> {
            assertEquals(3, args.length);
            runInPool();
        }, this::afterWorkCb);
        String kw = "test";
        loop.queueWork(() -> {
            assertEquals("test", kw);
            runInPool();
        }, this::afterWorkCb);
        loop.run();
        assertEquals(3, poolCbCalled.get());
        assertEquals(3, poolAfterWorkCbCalled);
    }

    /** pyuv's WorkItem: the work catches its own exception so that done can inspect it. */
    static final class WorkItem implements Runnable {
        private Runnable cb;
        volatile Throwable excInfo;

        WorkItem(Runnable cb) {
            this.cb = cb;
        }

        @Override
        public void run() {
            try {
                cb.run();
            } catch (RuntimeException e) {
                excInfo = e;
            } finally {
                cb = null;
            }
        }
    }

    @Test
    void test_threadpool_exc() {
        int[] zero = {0};
        WorkItem workItem = new WorkItem(() -> {
            int unused = 1 / zero[0];
        });
        int[] doneCalled = {0};
        loop.queueWork(workItem, error -> {
            assertNull(error);
            assertEquals(ArithmeticException.class, workItem.excInfo.getClass());
            doneCalled[0]++;
        });
        loop.run();
        assertEquals(1, doneCalled[0]);
    }

    /** pyuv's ThreadPoolMultiLoopTest: one loop per thread, one shared pool. */
    @Test
    void test_threadpool_multiple_loops() throws InterruptedException {
        Object lock = new Object();
        int[] called = {0};
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Runnable runLoop = () -> {
            try (Loop l = new Loop()) {
                CountDownLatch busy = releasedAfter(l, 0.2);
                l.queueWork(() -> {
                    synchronized (lock) {
                        called[0]++;
                    }
                    await(busy);
                });
                l.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Thread[] threads = {new Thread(runLoop, "loop-1"), new Thread(runLoop, "loop-2"), new Thread(runLoop, "loop-3")};
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
        assertEquals(List.of(), failures);
        synchronized (lock) {
            assertEquals(3, called[0]);
        }
    }

    // ------------------------------------------------------------------ pyuv-spec §1.8

    @Test
    void done_runs_on_the_loop_thread_with_null_after_the_work() {
        Thread loopThread = Thread.currentThread();
        AtomicReference<Thread> workThread = new AtomicReference<>();
        AtomicBoolean workDone = new AtomicBoolean();
        List<Object> done = new ArrayList<>();
        loop.queueWork(() -> {
            workThread.set(Thread.currentThread());
            workDone.set(true);
        }, error -> {
            assertTrue(workDone.get(), "done before the work finished");
            done.add(Thread.currentThread());
            done.add(error);
        });
        loop.run();
        assertNotNull(workThread.get());
        assertNotSame(loopThread, workThread.get(), "work must run on a pool thread");
        assertEquals(Arrays.asList(loopThread, null), done);
    }

    @Test
    void work_and_null_done_are_allowed_and_work_null_is_rejected() {
        AtomicBoolean ran = new AtomicBoolean();
        assertNotNull(loop.queueWork(() -> ran.set(true)));
        assertNotNull(loop.queueWork(() -> { }, null));
        assertThrows(NullPointerException.class, () -> loop.queueWork(null));
        assertThrows(NullPointerException.class, () -> loop.queueWork(null, e -> { }));
        assertFalse(loop.run());
        assertTrue(ran.get());
    }

    @Test
    void queued_work_keeps_the_loop_alive_until_done() {
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch busy = releasedAfter(loop, 0.1);
        loop.queueWork(() -> {
            await(busy);
            finished.set(true);
        });
        assertTrue(loop.isAlive());
        assertFalse(loop.run());
        assertTrue(finished.get(), "run() returned before the work finished");
        assertFalse(loop.isAlive());
    }

    @Test
    void work_in_flight_makes_get_timeout_infinite() {
        CountDownLatch release = new CountDownLatch(1);
        loop.queueWork(() -> await(release));
        // A request in flight with nothing else: poll would block until it completes.
        assertEquals(-0.001, loop.getTimeout());
        release.countDown();
        loop.run();
        assertEquals(0.0, loop.getTimeout());
    }

    /**
     * pyuv-spec §1.8: with the pool busy, the last queued request is cancelled; cancel() returns true
     * and its done(UV_ECANCELED) fires first, before the other requests complete. The other requests
     * wait for that done callback, so the order is deterministic.
     */
    @Test
    void cancel_queued_work_calls_done_with_ecanceled_first() {
        int blockers = poolSize() + 1;
        CountDownLatch cancelledDone = new CountDownLatch(1);
        List<Integer> order = new ArrayList<>();
        AtomicInteger workRan = new AtomicInteger();
        for (int i = 0; i < blockers; i++) {
            loop.queueWork(() -> {
                workRan.incrementAndGet();
                await(cancelledDone);
            }, order::add);
        }
        AtomicBoolean victimRan = new AtomicBoolean();
        WorkRequest victim = loop.queueWork(() -> victimRan.set(true), error -> {
            order.add(error);
            cancelledDone.countDown();
        });
        assertTrue(victim.cancel());
        assertFalse(victim.cancel(), "a second cancel finds nothing to cancel");
        assertTrue(order.isEmpty(), "done must not run inside cancel()");
        assertFalse(loop.run());
        List<Integer> expected = new ArrayList<>();
        expected.add(Errno.UV_ECANCELED);
        for (int i = 0; i < blockers; i++) {
            expected.add(null);
        }
        assertEquals(expected, order);
        assertFalse(victimRan.get(), "cancelled work ran");
        assertEquals(blockers, workRan.get());
    }

    @Test
    void cancel_after_start_returns_false() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = new ArrayList<>();
        WorkRequest req = loop.queueWork(() -> {
            started.countDown();
            await(release);
        }, done::add);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(req.cancel());
        release.countDown();
        loop.run();
        assertEquals(Collections.singletonList(null), done);
        assertFalse(req.cancel(), "finished work cannot be cancelled");
    }

    /** pyuv prints the work's exception (not through the excepthook) and done still gets None. */
    @Test
    void exception_in_work_is_logged_not_sent_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom in work");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        List<Integer> done = new ArrayList<>();
        LogCapture.setQuiet(true);
        LogCapture.clear();
        try {
            loop.queueWork(() -> {
                throw boom;
            }, done::add);
            loop.run();
        } finally {
            LogCapture.setQuiet(false);
        }
        assertEquals(Collections.singletonList(null), done);
        assertEquals(List.of(), hooked);
        List<LogCapture.Event> errors = new ArrayList<>();
        for (LogCapture.Event e : LogCapture.events()) {
            if (e.level() == Level.ERROR && e.logger().startsWith("org.pyuv4j")) {
                errors.add(e);
            }
        }
        assertEquals(1, errors.size(), errors.toString());
        assertSame(boom, errors.get(0).error());
    }

    @Test
    void exception_in_done_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom in done");
        List<Object> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> {
            hooked.add(l);
            hooked.add(e);
        });
        loop.queueWork(() -> { }, error -> {
            throw boom;
        });
        assertFalse(loop.run());
        assertEquals(List.of(loop, boom), hooked);
    }

    /** The pool size libuv and pyuv4j use: UV_THREADPOOL_SIZE, default 4, clamped to 1..128. */
    static int poolSize() {
        return org.pyuv4j.internal.WorkPool.configuredSize();
    }
}
