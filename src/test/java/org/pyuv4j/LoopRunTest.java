package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.LogCapture;
import org.pyuv4j.test.UvTestCase;
import org.slf4j.event.Level;

/**
 * pyuv-spec §1.2-§1.7 and §1.9-§1.10 beyond pyuv's own tests: what {@code run()} returns in each
 * mode, {@code stop()}, the phase order of one iteration, loop time, {@code getTimeout()},
 * {@code isAlive()}, {@code execute()} and exceptions in callbacks.
 */
class LoopRunTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

    /** Queues {@code r} for the pending phase (package-private {@link Loop#feed}, used by streams). */
    private void feed(Runnable r) {
        Loop l = loop;
        l.feed(r);
    }

    // ------------------------------------------------------------------ run() return values (§1.2)

    @Test
    void empty_loop_returns_false_at_once_in_every_mode() {
        Timer neverStarted = new Timer(loop);
        for (RunMode mode : RunMode.values()) {
            assertFalse(loop.run(mode), mode.toString());
        }
        assertFalse(neverStarted.isActive());
    }

    @Test
    void default_returns_false_when_nothing_is_left() {
        Timer t = new Timer(loop);
        t.start(h -> order.add("timer"), 0.001, 0);
        assertFalse(loop.run());
        assertEquals(List.of("timer"), order);
    }

    @Test
    void default_returns_true_after_stop_with_work_left() {
        Timer t = new Timer(loop);
        t.start(h -> {
            order.add("timer");
            loop.stop();
        }, 0.001, 0.001);
        assertTrue(loop.run());
        assertEquals(List.of("timer"), order);
        assertTrue(t.isActive());
        t.close();
        assertFalse(loop.run());
    }

    /** pyuv-spec §1.2: ONCE returned [True, True, True, False] across the iterations of a 3-shot timer. */
    @Test
    void once_returns_true_while_work_remains() {
        Timer t = new Timer(loop);
        int[] shots = {0};
        // 100 ms apart so that each ONCE iteration sees exactly one expiry (after its poll).
        loop.updateTime();
        t.start(h -> {
            shots[0]++;
            if (shots[0] == 3) {
                h.close();
            }
        }, 0.1, 0.1);
        List<Boolean> results = new ArrayList<>();
        List<Integer> shotsAfter = new ArrayList<>();
        boolean alive;
        do {
            alive = loop.run(RunMode.ONCE);
            results.add(alive);
            shotsAfter.add(shots[0]);
        } while (alive && results.size() < 10);
        assertEquals(List.of(true, true, true, false), results);
        assertEquals(List.of(1, 2, 3, 3), shotsAfter);
    }

    @Test
    void once_waits_for_a_timer_and_runs_it_after_the_poll() {
        Timer t = new Timer(loop);
        t.start(h -> order.add("timer"), 0.05, 0);
        assertFalse(loop.run(RunMode.ONCE), "one-shot timer done, nothing left");
        assertEquals(List.of("timer"), order);
    }

    @Test
    void nowait_returns_true_with_a_pending_timer_without_blocking() {
        Timer t = new Timer(loop);
        t.start(h -> order.add("timer"), 10, 0);
        assertTrue(loop.run(RunMode.NOWAIT));
        assertEquals(List.of(), order);
    }

    // ------------------------------------------------------------------ stop() (§1.3)

    @Test
    void stop_before_run_makes_the_next_run_return_at_once_without_callbacks() {
        Timer t = new Timer(loop);
        t.start(h -> order.add("timer"), 0, 0);
        Prepare p = new Prepare(loop);
        p.start(h -> order.add("prepare"));
        loop.stop();
        assertEquals(0.0, loop.getTimeout(), "a set stop flag makes the timeout 0");
        assertTrue(loop.run(), "returns the alive status");
        assertEquals(List.of(), order);
        // The flag was cleared: the next run iterates.
        p.close();
        assertFalse(loop.run());
        assertEquals(List.of("timer"), order);
    }

    @Test
    void stop_before_run_applies_to_every_mode() {
        Idle idle = new Idle(loop);
        idle.start(h -> order.add("idle"));
        for (RunMode mode : RunMode.values()) {
            loop.stop();
            assertTrue(loop.run(mode));
        }
        assertEquals(List.of(), order);
    }

    /** libuv: stop() ends the run after the current iteration, which completes (without blocking). */
    @Test
    void stop_in_a_callback_finishes_the_current_iteration() {
        Timer t = new Timer(loop);
        Timer far = new Timer(loop);
        far.start(h -> order.add("far"), 10, 0);
        t.start(h -> {
            order.add("timer");
            loop.stop();
            assertEquals(0.0, loop.getTimeout(), "the poll must not block once stopped");
        }, 0, 0.001);
        new Prepare(loop).start(h -> order.add("prepare"));
        new Check(loop).start(h -> order.add("check"));
        Timer closing = new Timer(loop);
        closing.close(h -> order.add("closed"));
        assertTrue(loop.run());
        assertEquals(List.of("timer", "prepare", "check", "closed"), order);
    }

    @Test
    void stop_from_another_thread_wakes_a_blocked_run() throws InterruptedException {
        Async async = new Async(loop, null);
        CountDownLatch polling = new CountDownLatch(1);
        Prepare p = new Prepare(loop);
        p.start(h -> polling.countDown());
        Thread stopper = new Thread(() -> {
            ThreadpoolTest.await(polling);
            loop.stop();
        }, "stopper");
        stopper.start();
        assertEquals(-0.001, loop.getTimeout(), "would block without limit");
        assertTrue(loop.run(), "stopped with the async still alive");
        stopper.join();
        assertTrue(async.isActive());
    }

    // ------------------------------------------------------------------ phases (§1.2)

    /**
     * One iteration, libuv's order: timers, pending, idle, prepare, poll (I/O, async, work done,
     * execute), check, closing. The pending phase is where write/connect results are delivered;
     * here it is fed directly through the package-private {@link Loop#feed}.
     */
    @Test
    void phases_run_in_libuv_order_within_one_iteration() throws InterruptedException {
        Timer timer = new Timer(loop);
        timer.start(h -> order.add("timer"), 0, 0);
        feed(() -> order.add("pending"));
        Idle idle = new Idle(loop);
        idle.start(h -> order.add("idle"));
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> order.add("prepare"));
        Check check = new Check(loop);
        check.start(h -> order.add("check"));
        Async async = new Async(loop, h -> order.add("poll:async"));
        async.send();
        Timer closing = new Timer(loop);
        closing.close(h -> order.add("closing"));
        assertTrue(loop.run(RunMode.ONCE));
        assertEquals(List.of("timer", "pending", "idle", "prepare", "poll:async", "check", "closing"), order);

        // A second iteration: only the watchers (and nothing else) run, in the same relative order.
        order.clear();
        assertTrue(loop.run(RunMode.ONCE));
        assertEquals(List.of("idle", "prepare", "check"), order);
    }

    @Test
    void execute_tasks_run_in_the_poll_phase() throws InterruptedException {
        Thread t = new Thread(() -> loop.execute(() -> order.add("poll:execute")), "executor");
        t.start();
        t.join();
        new Prepare(loop).start(h -> order.add("prepare"));
        new Check(loop).start(h -> order.add("check"));
        new Idle(loop).start(h -> order.add("idle"));
        loop.run(RunMode.ONCE);
        assertEquals(List.of("idle", "prepare", "poll:execute", "check"), order);
    }

    @Test
    void work_done_runs_in_the_poll_phase() {
        Prepare prepare = new Prepare(loop);
        Check check = new Check(loop);
        prepare.start(h -> order.add("prepare"));
        check.start(h -> {
            order.add("check");
            if (order.contains("poll:work")) {
                h.close();
            }
        });
        // Nothing else is active: the first poll blocks until the work completes.
        loop.queueWork(() -> { }, e -> {
            order.add("poll:work");
            prepare.close();
        });
        assertFalse(loop.run());
        assertEquals(List.of("prepare", "poll:work", "check"), order);
    }

    @Test
    void a_close_made_in_a_close_callback_completes_in_the_next_iteration() {
        Timer a = new Timer(loop);
        Timer b = new Timer(loop);
        a.close(h -> {
            order.add("a");
            b.close(x -> order.add("b"));
        });
        assertTrue(loop.run(RunMode.ONCE), "b is still closing");
        assertEquals(List.of("a"), order);
        assertFalse(loop.run(RunMode.ONCE));
        assertEquals(List.of("a", "b"), order);
    }

    @Test
    void run_from_a_callback_is_rejected() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(h -> {
            try {
                loop.run(RunMode.NOWAIT);
            } catch (Throwable e) {
                error.set(e);
            }
        }, 0, 0);
        loop.run();
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        assertThrows(NullPointerException.class, () -> loop.run(null));
    }

    // ------------------------------------------------------------------ time (§1.4)

    @Test
    void now_is_cached_milliseconds_until_update_time() {
        long before = Math.floorDiv(System.nanoTime(), 1_000_000L);
        loop.updateTime();
        long now = loop.now();
        long after = Math.floorDiv(System.nanoTime(), 1_000_000L);
        assertTrue(before <= now && now <= after, "monotonic milliseconds: " + before + " <= " + now + " <= " + after);
        spinMillis(5);
        assertEquals(now, loop.now(), "cached");
        loop.updateTime();
        assertTrue(loop.now() >= now + 5, "refreshed: " + (loop.now() - now));
    }

    @Test
    void run_updates_the_loop_time_even_when_there_is_nothing_to_do() {
        loop.updateTime();
        long before = loop.now();
        spinMillis(5);
        assertFalse(loop.run());
        assertTrue(loop.now() >= before + 5);
        long mid = loop.now();
        spinMillis(5);
        Idle idle = new Idle(loop);
        idle.start(h -> h.close());
        loop.run(RunMode.NOWAIT);
        assertTrue(loop.now() >= mid + 5);
    }

    /** Busy-waits (this simulates elapsed time; nothing is synchronised by it). */
    private static void spinMillis(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) + 1_000_000L;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------------ get_timeout (§1.7)

    @Test
    void get_timeout_is_zero_when_nothing_is_active() {
        assertEquals(0.0, loop.getTimeout());
        new Timer(loop);
        assertEquals(0.0, loop.getTimeout());
        Async unref = new Async(loop, null);
        unref.setRef(false);
        assertEquals(0.0, loop.getTimeout(), "an unreferenced handle does not count");
    }

    @Test
    void get_timeout_is_the_next_timer_in_seconds() {
        Timer t = new Timer(loop);
        t.start(h -> { }, 10, 0);
        assertEquals(10.0, loop.getTimeout(), 0.002);
        Timer sooner = new Timer(loop);
        sooner.start(h -> { }, 2.5, 0);
        assertEquals(2.5, loop.getTimeout(), 0.002);
        sooner.stop();
        assertEquals(10.0, loop.getTimeout(), 0.002);
        Timer overdue = new Timer(loop);
        overdue.start(h -> { }, 0, 0);
        assertEquals(0.0, loop.getTimeout());
    }

    @Test
    void get_timeout_is_minus_one_millisecond_when_infinite() {
        new Async(loop, null);
        assertEquals(-0.001, loop.getTimeout());
    }

    @Test
    void get_timeout_is_zero_with_idle_pending_or_closing_work() {
        new Async(loop, null); // otherwise infinite
        Idle idle = new Idle(loop);
        idle.start(h -> { });
        assertEquals(0.0, loop.getTimeout(), "idle");
        idle.stop();
        assertEquals(-0.001, loop.getTimeout());
        Timer closing = new Timer(loop);
        closing.close();
        assertEquals(0.0, loop.getTimeout(), "closing");
        assertTrue(loop.run(RunMode.NOWAIT));
        assertEquals(-0.001, loop.getTimeout());
        feed(() -> order.add("pending"));
        assertEquals(0.0, loop.getTimeout(), "pending");
        assertTrue(loop.run(RunMode.NOWAIT));
        assertEquals(List.of("pending"), order);
    }

    // ------------------------------------------------------------------ alive (§1.5, §1.10)

    @Test
    void is_alive_follows_referenced_active_handles_requests_and_closing_handles() {
        assertFalse(loop.isAlive());
        Timer t = new Timer(loop);
        assertFalse(loop.isAlive(), "inactive");
        t.start(h -> { }, 10, 0);
        assertTrue(loop.isAlive(), "active and referenced");
        t.setRef(false);
        assertFalse(loop.isAlive(), "unreferenced");
        t.setRef(true);
        assertTrue(loop.isAlive());
        t.stop();
        assertFalse(loop.isAlive());
        t.setRef(false);
        t.close();
        assertTrue(loop.isAlive(), "closing, even unreferenced");
        loop.run();
        assertFalse(loop.isAlive());
    }

    // ------------------------------------------------------------------ execute (Java addition)

    @Test
    void execute_from_another_thread_runs_on_the_loop_thread_inside_run() throws InterruptedException {
        List<Thread> ranOn = new ArrayList<>();
        Thread t = new Thread(() -> loop.execute(() -> ranOn.add(Thread.currentThread())), "submitter");
        t.start();
        t.join();
        assertEquals(List.of(), ranOn, "not before run()");
        assertTrue(loop.isAlive(), "a queued task keeps the loop alive");
        assertFalse(loop.run());
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void execute_wakes_a_blocked_loop() throws InterruptedException {
        Async async = new Async(loop, null);
        CountDownLatch polling = new CountDownLatch(1);
        Prepare p = new Prepare(loop);
        p.start(h -> polling.countDown());
        List<Thread> ranOn = new ArrayList<>();
        Thread t = new Thread(() -> {
            ThreadpoolTest.await(polling);
            loop.execute(() -> {
                ranOn.add(Thread.currentThread());
                async.close();
                p.close();
            });
        }, "submitter");
        t.start();
        assertFalse(loop.run());
        t.join();
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void execute_from_the_loop_thread_runs_later_not_inside_the_call() {
        boolean[] inCall = {false};
        Timer t = new Timer(loop);
        t.start(h -> {
            inCall[0] = true;
            loop.execute(() -> order.add("task, inCall=" + inCall[0]));
            inCall[0] = false;
            order.add("timer");
        }, 0, 0);
        assertFalse(loop.run());
        assertEquals(List.of("timer", "task, inCall=false"), order);
    }

    @Test
    void tasks_executed_during_the_poll_phase_wait_for_the_next_iteration() {
        int[] iterations = {0};
        Check check = new Check(loop);
        check.start(h -> iterations[0]++);
        List<Integer> iterationOfTask = new ArrayList<>();
        Runnable[] task = {null};
        task[0] = () -> {
            iterationOfTask.add(iterations[0]);
            if (iterationOfTask.size() < 5) {
                loop.execute(task[0]);
            } else {
                check.close();
            }
        };
        loop.execute(task[0]);
        assertFalse(loop.run());
        assertEquals(List.of(0, 1, 2, 3, 4), iterationOfTask);
    }

    @Test
    void tasks_executed_from_one_thread_run_in_order() throws InterruptedException {
        int n = 1000;
        List<Integer> ran = new ArrayList<>();
        Async keepAlive = new Async(loop, null);
        Thread t = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                int id = i;
                loop.execute(() -> ran.add(id));
            }
            loop.execute(keepAlive::close);
        }, "submitter");
        t.start();
        assertFalse(loop.run());
        t.join();
        assertEquals(n, ran.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, ran.get(i));
        }
    }

    /** libuv runs the work completions found at the start of the poll; later ones wait an iteration. */
    @Test
    void work_queued_from_a_done_callback_completes_in_a_later_iteration() {
        int[] iterations = {0};
        Check check = new Check(loop);
        check.start(h -> iterations[0]++);
        List<Integer> iterationOfDone = new ArrayList<>();
        AtomicReference<Consumer<Integer>> done = new AtomicReference<>();
        done.set(e -> {
            iterationOfDone.add(iterations[0]);
            if (iterationOfDone.size() < 20) {
                loop.queueWork(() -> { }, done.get());
            } else {
                check.close();
            }
        });
        loop.queueWork(() -> { }, done.get());
        assertFalse(loop.run());
        for (int i = 1; i < iterationOfDone.size(); i++) {
            assertTrue(iterationOfDone.get(i) > iterationOfDone.get(i - 1), iterationOfDone.toString());
        }
    }

    @Test
    void exception_in_an_executed_task_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        loop.execute(() -> {
            throw boom;
        });
        assertThrows(NullPointerException.class, () -> loop.execute(null));
        assertFalse(loop.run());
        assertEquals(List.of(boom), hooked);
    }

    // ------------------------------------------------------------------ exceptions (§1.9)

    /** pyuv-spec §1.9.5: two raising callbacks are both reported and run() returns normally. */
    @Test
    void exceptions_never_stop_the_loop() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second");
        LogCapture.setQuiet(true);
        LogCapture.clear();
        boolean alive;
        try (Loop plain = new Loop()) {
            Timer a = new Timer(plain);
            a.start(h -> {
                h.close();
                throw first;
            }, 0, 0);
            Timer b = new Timer(plain);
            b.start(h -> {
                h.close(x -> order.add("b closed"));
                throw second;
            }, 0.01, 0);
            alive = plain.run();
        } finally {
            LogCapture.setQuiet(false);
        }
        assertFalse(alive);
        assertEquals(List.of("b closed"), order);
        List<Throwable> logged = new ArrayList<>();
        for (LogCapture.Event e : LogCapture.events()) {
            if (e.logger().startsWith("org.pyuv4j") && e.level() == Level.ERROR) {
                assertEquals("Unhandled exception in callback", e.message());
                logged.add(e.error());
            }
        }
        assertEquals(List.of(first, second), logged);
    }

    @Test
    void errors_thrown_by_callbacks_reach_the_excepthook_too() {
        AssertionError failed = new AssertionError("assertion in a callback");
        List<Object> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> {
            hooked.add(l);
            hooked.add(e);
        });
        Timer t = new Timer(loop);
        t.close(h -> {
            throw failed;
        });
        assertFalse(loop.run());
        assertEquals(List.of(loop, failed), hooked);
        assertSame(null, t.getLoop(), "the handle finished closing despite the exception");
    }

    @Test
    void test_loop_rethrows_the_first_callback_failure() {
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            throw new IllegalStateException("from the callback");
        }, 0, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run());
        assertEquals("from the callback", e.getMessage());
    }
}
