package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §1.4 / §1.7: loop time ({@code now()} is cached milliseconds until {@code updateTime()} or
 * the next iteration) and {@code getTimeout()}, the time to the next timer (libuv's test-loop-time.c:
 * loop_update_time and loop_backend_timeout).
 */
class LoopTimeTest extends UvTestCase {
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
}
