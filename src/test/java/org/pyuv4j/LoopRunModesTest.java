package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §1.2 / §1.5 / §1.10: what {@code run()} returns in each mode (DEFAULT, ONCE, NOWAIT): the
 * loop's alive status, which {@code isAlive()} reports between runs; and that {@code run()} cannot be
 * called from a callback (libuv's test-run-once.c, test-run-nowait.c and test-loop-alive.c).
 */
class LoopRunModesTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

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
}
