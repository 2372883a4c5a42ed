package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §1.2 / §1.7: the phases of one iteration in libuv's order (timers, pending, idle, prepare,
 * poll, check, closing), what runs in the poll phase (I/O, async, work done, execute), and the work of
 * the pending, idle and closing phases keeping the poll from blocking ({@code getTimeout()} 0)
 * (libuv's test-callback-order.c and test-loop-handles.c).
 */
class LoopPhasesTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

    /** Queues {@code r} for the pending phase (package-private {@link Loop#feed}, used by streams). */
    private void feed(Runnable r) {
        Loop l = loop;
        l.feed(r);
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
}
