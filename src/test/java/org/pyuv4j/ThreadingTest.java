package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.Latches;
import org.pyuv4j.test.UvTestCase;

/**
 * API.md "Threading": callbacks run only inside {@code run()}, on the thread that called it, never
 * before the first {@code run()} and never from inside the API call that caused them; after the
 * first run, handles and {@code run()} are confined to that thread. The thread-safe calls
 * ({@code Async.send}, {@code stop}, {@code execute}) are covered in AsyncTest, LoopStopTest and
 * LoopExecuteTest.
 */
class ThreadingTest extends UvTestCase {
    private final List<String> events = new ArrayList<>();

    @Test
    void callbacks_never_run_before_run() throws InterruptedException {
        Thread main = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        HandleCallback<Timer> timerCb = h -> record("timer", threads);
        Timer timer = new Timer(loop);
        timer.start(timerCb, 0, 0);
        Idle idle = new Idle(loop);
        idle.start(h -> {
            record("idle", threads);
            h.close();
        });
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> {
            record("prepare", threads);
            h.close();
        });
        Check check = new Check(loop);
        check.start(h -> {
            record("check", threads);
            h.close();
        });
        Async async = new Async(loop, h -> {
            record("async", threads);
            h.close();
        });
        async.send();
        Timer closing = new Timer(loop);
        closing.close(h -> record("close", threads));
        CountDownLatch workRan = new CountDownLatch(1);
        loop.queueWork(workRan::countDown, e -> record("work done", threads));
        Thread submitter = new Thread(() -> loop.execute(() -> record("execute", threads)), "submitter");
        submitter.start();
        submitter.join();
        // The work itself has run and a cross-thread task is queued: still no callback before run().
        assertTrue(workRan.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(), events);

        assertFalse(loop.run());
        assertEquals(8, events.size(), events.toString());
        assertEquals(Set.of("timer", "idle", "prepare", "async", "work done", "execute", "check", "close"),
                new HashSet<>(events));
        for (Thread t : threads) {
            assertEquals(main, t, "every callback on the thread that called run()");
        }
    }

    private void record(String what, List<Thread> threads) {
        events.add(what);
        threads.add(Thread.currentThread());
    }

    @Test
    void callbacks_never_run_inside_the_api_call_that_caused_them() {
        boolean[] inCall = {false};
        Map<String, Boolean> seen = new LinkedHashMap<>();
        Async async = new Async(loop, h -> {
            seen.put("async", inCall[0]);
            h.close();
        });
        Idle idle = new Idle(loop);
        Timer timer = new Timer(loop);
        Timer closing = new Timer(loop);
        Prepare driver = new Prepare(loop);
        driver.start(h -> {
            h.close();
            inCall[0] = true;
            timer.start(t -> seen.put("timer", inCall[0]), 0, 0);
            closing.close(t -> seen.put("close", inCall[0]));
            async.send();
            idle.start(i -> {
                seen.put("idle", inCall[0]);
                i.close();
            });
            loop.queueWork(() -> { }, e -> seen.put("work done", inCall[0]));
            loop.execute(() -> seen.put("execute", inCall[0]));
            inCall[0] = false;
        });
        assertFalse(loop.run());
        assertEquals(6, seen.size(), seen.toString());
        for (Map.Entry<String, Boolean> e : seen.entrySet()) {
            assertFalse(e.getValue(), e.getKey() + " was called inside the API call");
        }
    }

    @Test
    void handle_calls_from_another_thread_after_the_first_run_are_rejected() throws InterruptedException {
        Timer timer = new Timer(loop);
        Idle idle = new Idle(loop);
        assertFalse(loop.run()); // the calling thread now owns the loop
        String owner = Thread.currentThread().getName();
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("Timer.start", () -> timer.start(h -> { }, 0, 0));
        calls.put("Timer.stop", timer::stop);
        calls.put("Timer.again", timer::again);
        calls.put("Timer.setRepeat", () -> timer.setRepeat(1));
        calls.put("Handle.setRef", () -> timer.setRef(false));
        calls.put("Handle.close", timer::close);
        calls.put("Idle.start", () -> idle.start(h -> { }));
        calls.put("Idle.stop", idle::stop);
        calls.put("new Timer", () -> new Timer(loop));
        calls.put("new Async", () -> new Async(loop, null));
        calls.put("new TCP", () -> new TCP(loop));
        calls.put("Loop.getHandles", loop::getHandles);
        calls.put("Loop.queueWork", () -> loop.queueWork(() -> { }));
        calls.put("Loop.close", loop::close);
        Map<String, Throwable> results = new LinkedHashMap<>();
        Thread intruder = new Thread(() -> {
            for (Map.Entry<String, Runnable> c : calls.entrySet()) {
                try {
                    c.getValue().run();
                    results.put(c.getKey(), null);
                } catch (Throwable t) {
                    results.put(c.getKey(), t);
                }
            }
        }, "intruder-thread");
        intruder.start();
        intruder.join();
        assertEquals(calls.keySet(), results.keySet());
        for (Map.Entry<String, Throwable> r : results.entrySet()) {
            Throwable t = r.getValue();
            assertTrue(t instanceof IllegalStateException, r.getKey() + " from another thread: " + t);
            assertTrue(t.getMessage().contains("'" + owner + "'") && t.getMessage().contains("'intruder-thread'"),
                    r.getKey() + ": the message names both threads: " + t.getMessage());
        }
        // Nothing changed.
        assertFalse(timer.isActive());
        assertFalse(timer.isClosed());
        assertTrue(timer.isRef());
        assertFalse(idle.isActive());
        assertEquals(List.of(timer, idle), loop.getHandles());
    }

    @Test
    void run_from_a_second_thread_is_rejected() throws InterruptedException {
        assertFalse(loop.run());
        String owner = Thread.currentThread().getName();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                error.set(t);
            }
        }, "second-runner");
        other.start();
        other.join();
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        assertTrue(error.get().getMessage().contains(owner) && error.get().getMessage().contains("second-runner"),
                error.get().getMessage());
        // The owner can still run it.
        Timer t = new Timer(loop);
        t.start(h -> {
            events.add("timer");
            h.close();
        }, 0, 0);
        assertFalse(loop.run());
        assertEquals(List.of("timer"), events);
    }

    @Test
    void a_loop_built_on_one_thread_can_first_run_on_another() throws InterruptedException {
        Loop l = new Loop();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        Timer timer = new Timer(l);
        timer.start(h -> {
            calls.add("timer");
            threads.add(Thread.currentThread());
            h.close();
        }, 0.001, 0);
        Idle idle = new Idle(l);
        idle.start(h -> {
            calls.add("idle");
            threads.add(Thread.currentThread());
            h.close();
        });
        Async async = new Async(l, h -> {
            calls.add("async");
            threads.add(Thread.currentThread());
            h.close();
        });
        async.send();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> result = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            try {
                result.set(l.run());
                ran.countDown();
                // Only the owner can close the loop (Netty drives its shutdown on the owning thread).
                Latches.await(checked);
                l.close();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                ran.countDown();
            }
        }, "runner-thread");
        runner.start();
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        try {
            assertEquals(Boolean.FALSE, result.get());
            assertEquals(3, calls.size(), calls.toString());
            for (Thread t : threads) {
                assertEquals(runner, t);
            }
            // The runner owns the loop now: this thread may no longer use it.
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Timer(l));
            assertTrue(e.getMessage().contains("'runner-thread'"), e.getMessage());
            assertThrows(IllegalStateException.class, l::close);
            assertThrows(IllegalStateException.class, l::run);
        } finally {
            checked.countDown();
            runner.join();
        }
        assertEquals(null, failure.get());
        assertThrows(IllegalStateException.class, l::run, "closed, and owned by the runner");
    }
}
