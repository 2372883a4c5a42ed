package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.test.Latches;
import org.pyuv4j.test.UvTestCase;

/** pyuv's {@code tests/test_async.py} (2 tests), then the rest of pyuv-spec §7 for Async. */
class AsyncTest extends UvTestCase {
    private final Object lock = new Object();
    private int asyncCbCalled;
    private int prepareCbCalled;
    private int checkCbCalled;
    private Async async;
    private Prepare prepare;
    private Check check;
    private Thread thread;

    @Test
    void test_async1() throws InterruptedException {
        async = new Async(loop, h -> {
            int n;
            synchronized (lock) {
                asyncCbCalled++;
                n = asyncCbCalled;
            }
            if (n == 3) {
                async.close();
                prepare.close();
            }
        });
        prepare = new Prepare(loop);
        prepare.start(h -> {
            if (prepareCbCalled > 0) {
                return;
            }
            prepareCbCalled++;
            thread = new Thread(() -> {
                for (;;) {
                    synchronized (lock) {
                        if (asyncCbCalled == 3) {
                            break;
                        }
                        async.send();
                    }
                }
            }, "async1-sender");
            thread.start();
        });
        loop.run();
        thread.join();
        assertEquals(3, asyncCbCalled);
        assertEquals(1, prepareCbCalled);
    }

    /** pyuv's version sleeps 10 ms in the thread before sending; not needed for the semantics tested. */
    @Test
    void test_async2() throws InterruptedException {
        prepare = new Prepare(loop);
        prepare.start(h -> {
            prepareCbCalled++;
            thread = new Thread(() -> async.send(), "async2-sender");
            thread.start();
        });
        check = new Check(loop);
        check.start(h -> {
            checkCbCalled++;
            loop.stop();
        });
        async = new Async(loop, null);
        loop.run();
        thread.join();
        assertEquals(1, prepareCbCalled);
        assertEquals(1, checkCbCalled);
    }

    // ------------------------------------------------------------------ pyuv-spec §7 Async

    @Test
    void send_from_a_foreign_thread_wakes_a_blocked_run_once() throws InterruptedException {
        Thread loopThread = Thread.currentThread();
        List<Thread> calledOn = new ArrayList<>();
        async = new Async(loop, h -> calledOn.add(Thread.currentThread()));
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        prepare = new Prepare(loop);
        prepare.start(h -> aboutToPoll.countDown());
        thread = new Thread(() -> {
            Latches.await(aboutToPoll);
            async.send();
        }, "waker");
        thread.start();
        // Only a referenced Async is active: the poll blocks without limit until the send arrives.
        assertEquals(-0.001, loop.getTimeout());
        assertTrue(loop.run(RunMode.ONCE), "the async is still alive");
        thread.join();
        assertEquals(List.of(loopThread), calledOn);
    }

    @Test
    void sends_before_the_callback_runs_are_coalesced() throws InterruptedException {
        async = new Async(loop, h -> asyncCbCalled++);
        thread = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                async.send();
            }
        }, "burst");
        thread.start();
        thread.join();
        async.send();
        async.send();
        assertEquals(0, asyncCbCalled, "no callback before run()");
        loop.run(RunMode.ONCE);
        assertEquals(1, asyncCbCalled);
        // Nothing left pending: NOWAIT runs no further callback.
        loop.run(RunMode.NOWAIT);
        assertEquals(1, asyncCbCalled);
    }

    @Test
    void send_during_the_callback_causes_another_call() {
        async = new Async(loop, h -> {
            asyncCbCalled++;
            if (asyncCbCalled < 3) {
                int before = asyncCbCalled;
                h.send();
                assertEquals(before, asyncCbCalled, "send() never calls back synchronously");
            } else {
                h.close();
            }
        });
        async.send();
        assertFalse(loop.run());
        assertEquals(3, asyncCbCalled);
    }

    /**
     * libuv delivers a send made during the async callback in the next loop iteration, so an async
     * that keeps re-sending itself cannot starve the other phases: every call runs in its own
     * iteration (a check handle counts them) and a 2 ms timer still fires. Bounded: the callback stops
     * re-sending after a million calls, so a starving loop fails instead of hanging.
     */
    @Test
    void a_self_resending_async_runs_once_per_iteration() {
        int[] iterations = {0};
        List<Integer> iterationOfCall = new ArrayList<>();
        int[] callsWhenTimerFired = {-1};
        Timer timer = new Timer(loop);
        check = new Check(loop);
        check.start(h -> iterations[0]++);
        async = new Async(loop, h -> {
            iterationOfCall.add(iterations[0]);
            if (iterationOfCall.size() == 1) {
                timer.start(t -> {
                    callsWhenTimerFired[0] = iterationOfCall.size();
                    t.close();
                    async.close();
                    check.close();
                }, 0.002, 0);
            }
            if (iterationOfCall.size() < 1_000_000) {
                h.send();
            }
        });
        async.send();
        assertFalse(loop.run());
        assertTrue(callsWhenTimerFired[0] > 0 && callsWhenTimerFired[0] < 1_000_000,
                "the timer was starved: it fired after " + callsWhenTimerFired[0] + " async calls");
        for (int i = 1; i < iterationOfCall.size(); i++) {
            assertEquals(iterationOfCall.get(i - 1) + 1, iterationOfCall.get(i),
                    "call " + i + " did not run in the next iteration");
        }
    }

    @Test
    void send_never_calls_back_inside_send() {
        boolean[] inSend = {false};
        List<Boolean> seen = new ArrayList<>();
        async = new Async(loop, h -> {
            seen.add(inSend[0]);
            if (seen.size() == 1) {
                inSend[0] = true;
                h.send();
                inSend[0] = false;
            } else {
                h.close();
            }
        });
        inSend[0] = true;
        async.send();
        inSend[0] = false;
        assertTrue(seen.isEmpty(), "no callback before run()");
        assertFalse(loop.run());
        assertEquals(List.of(false, false), seen);
    }

    @Test
    void send_on_a_closed_async_raises_handle_closed_error() throws InterruptedException {
        async = new Async(loop, h -> asyncCbCalled++);
        async.send();
        async.close();
        HandleClosedError e = assertThrows(HandleClosedError.class, async::send);
        assertEquals("Handle is closing/closed", e.getMessage());
        AtomicReference<Throwable> fromThread = new AtomicReference<>();
        thread = new Thread(() -> {
            try {
                async.send();
            } catch (Throwable t) {
                fromThread.set(t);
            }
        }, "closed-sender");
        thread.start();
        thread.join();
        assertTrue(fromThread.get() instanceof HandleClosedError, String.valueOf(fromThread.get()));
        loop.run();
        assertEquals(0, asyncCbCalled, "a send pending at close() is dropped");
    }

    @Test
    void async_is_active_until_closed_and_keeps_the_loop_alive() {
        async = new Async(loop, null);
        assertTrue(async.isActive());
        assertTrue(async.isRef());
        assertTrue(loop.isAlive());
        assertTrue(loop.run(RunMode.NOWAIT));
        assertTrue(async.isActive(), "still active after running");
        async.setRef(false);
        assertTrue(async.isActive());
        assertFalse(loop.isAlive());
        assertFalse(loop.run(), "an unreferenced async does not keep the loop alive");
        async.setRef(true);
        async.close();
        assertFalse(async.isActive());
        assertFalse(loop.run());
        assertSame(null, async.getLoop());
    }

    @Test
    void callback_with_null_only_wakes_the_loop() {
        async = new Async(loop, null);
        async.send();
        assertTrue(loop.run(RunMode.ONCE));
        async.close();
        assertFalse(loop.run());
    }

    @Test
    void exception_in_async_callback_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        async = new Async(loop, h -> {
            h.close();
            throw boom;
        });
        async.send();
        assertFalse(loop.run());
        assertEquals(List.of(boom), hooked);
    }

    /**
     * 8 threads × 10,000 sends. Each sender bumps a shared counter and then sends; the callback reads
     * the counter. Coalescing: never more callbacks than sends. No lost wake-up: a send that follows
     * the last increment must cause a callback that observes the final count, so the run ends; if a
     * wake-up were lost the loop would block forever (bounded by the class timeout).
     */
    @Test
    void concurrent_sends_coalesce_and_the_last_wakeup_is_never_lost() throws InterruptedException {
        int threads = 8;
        int sends = 10_000;
        long total = (long) threads * sends;
        AtomicLong counter = new AtomicLong();
        Thread loopThread = Thread.currentThread();
        long[] callbacks = {0};
        long[] lastSeen = {-1};
        List<String> problems = new ArrayList<>();
        async = new Async(loop, h -> {
            callbacks[0]++;
            if (Thread.currentThread() != loopThread) {
                problems.add("callback on " + Thread.currentThread().getName());
            }
            long seen = counter.get();
            if (seen < lastSeen[0]) {
                problems.add("counter went backwards");
            }
            lastSeen[0] = seen;
            if (seen == total) {
                loop.stop();
            }
        });
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread s = new Thread(() -> {
                try {
                    Latches.await(go);
                    for (int i = 0; i < sends; i++) {
                        counter.incrementAndGet();
                        async.send();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "sender-" + t);
            senders.add(s);
            s.start();
        }
        prepare = new Prepare(loop);
        prepare.start(h -> {
            go.countDown();
            h.close();
        });
        assertTrue(loop.run(), "stopped by the callback that saw the final count, async still open");
        for (Thread s : senders) {
            s.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(s.isAlive());
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), problems);
        assertEquals(total, lastSeen[0]);
        assertTrue(callbacks[0] >= 1 && callbacks[0] <= total, "callbacks: " + callbacks[0]);
        async.close();
        assertFalse(loop.run());
    }

    /** Each sender waits until the loop acknowledges a callback that ran after its last send. */
    @Test
    void each_sender_sees_a_callback_after_its_last_send() throws InterruptedException {
        int threads = 8;
        int rounds = 200;
        AtomicLong sendSeq = new AtomicLong();
        AtomicLong ackedSeq = new AtomicLong();
        Object monitor = new Object();
        async = new Async(loop, h -> {
            // Everything sent before this read is acknowledged by this callback.
            long seq = sendSeq.get();
            synchronized (monitor) {
                ackedSeq.set(Math.max(ackedSeq.get(), seq));
                monitor.notifyAll();
            }
        });
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread s = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        long mine = sendSeq.incrementAndGet();
                        async.send();
                        synchronized (monitor) {
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                            while (ackedSeq.get() < mine) {
                                long left = deadline - System.nanoTime();
                                if (left <= 0) {
                                    throw new AssertionError("send " + mine + " never acknowledged: lost wake-up");
                                }
                                monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            }, "acked-sender-" + t);
            senders.add(s);
            s.start();
        }
        // The last sender to finish closes the async from the loop thread, which ends the run.
        Thread closer = new Thread(() -> {
            Latches.await(finished);
            loop.execute(() -> async.close());
        }, "closer");
        closer.start();
        assertFalse(loop.run());
        closer.join();
        for (Thread s : senders) {
            s.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(threads * rounds, ackedSeq.get());
    }
}
