package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.Latches;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §1.3: {@code stop()} before {@code run()}, in a callback (the current iteration completes
 * without blocking) and from another thread (libuv's test-loop-stop.c).
 */
class LoopStopTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

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
            Latches.await(polling);
            loop.stop();
        }, "stopper");
        stopper.start();
        assertEquals(-0.001, loop.getTimeout(), "would block without limit");
        assertTrue(loop.run(), "stopped with the async still alive");
        stopper.join();
        assertTrue(async.isActive());
    }
}
