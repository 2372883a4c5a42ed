package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pyuv4j.error.TimerError;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §7 Timer: {@code again()} (EINVAL on a timer never started; restarts with the repeat as
 * the timeout, stopped or not; nothing without a repeat) and the repeat (get and set, taking effect at
 * the next expiry, re-armed before the callback) (libuv's test-timer-again.c).
 */
class TimerAgainTest extends UvTestCase {
    private int timerCbCalled;

    @Test
    void again_on_a_never_started_timer_raises_einval() {
        Timer t = new Timer(loop);
        TimerError e = assertThrows(TimerError.class, t::again);
        assertEquals(Errno.UV_EINVAL, e.errno());
        assertEquals("invalid argument", e.getMessage());
        assertFalse(t.isActive());
    }

    @Test
    void again_restarts_with_the_repeat_as_timeout() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.close();
        }, 10, 0.05);
        t.again();
        assertTrue(t.isActive());
        // The next expiry is now one repeat (50 ms) away instead of 10 s.
        assertEquals(0.05, loop.getTimeout(), 0.002);
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void again_restarts_a_stopped_repeating_timer() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.close();
        }, 10, 0.02);
        t.stop();
        assertFalse(t.isActive());
        t.again();
        assertTrue(t.isActive(), "again() works on a stopped timer that was started once");
        assertEquals(0.02, loop.getTimeout(), 0.002);
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void again_without_repeat_does_nothing() {
        Timer t = new Timer(loop);
        t.start(h -> timerCbCalled++, 10, 0);
        t.again();
        assertTrue(t.isActive());
        assertEquals(10.0, loop.getTimeout(), 0.002);
        t.stop();
        t.again(); // still known (it was started once), and without repeat it does not restart
        assertFalse(t.isActive());
        assertFalse(loop.run());
        assertEquals(0, timerCbCalled);
    }

    @Test
    void repeat_get_and_set() {
        Timer t = new Timer(loop);
        assertEquals(0.0, t.getRepeat());
        t.start(h -> { }, 10, 0.25);
        assertEquals(0.25, t.getRepeat());
        t.setRepeat(1.5);
        assertEquals(1.5, t.getRepeat());
        t.setRepeat(0);
        assertEquals(0.0, t.getRepeat());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setRepeat(-1));
        assertEquals("a positive float or 0.0 is required", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.setRepeat(Double.NaN));
        assertEquals(0.0, t.getRepeat());
        // Milliseconds are what libuv keeps.
        t.setRepeat(0.0123);
        assertEquals(0.012, t.getRepeat());
        t.close();
        t.setRepeat(2); // pyuv's repeat setter does not check for a closed handle
        assertEquals(2.0, t.getRepeat());
    }

    @Test
    void set_repeat_takes_effect_at_the_next_expiry() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            // libuv re-arms a repeating timer before calling back: this expiry already re-armed it with
            // 1 ms, so there is one more call; at that one the repeat is 0 and the timer stops.
            h.setRepeat(0);
        }, 0.001, 0.001);
        assertFalse(loop.run());
        assertEquals(2, timerCbCalled);
        assertFalse(t.isActive());
    }

    @Test
    void repeating_timer_keeps_firing_and_stop_in_callback_ends_it() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            assertTrue(h.isActive(), "a repeating timer is re-armed before its callback");
            if (timerCbCalled == 5) {
                h.stop();
                assertFalse(h.isActive());
            }
        }, 0.001, 0.001);
        assertFalse(loop.run(), "a stopped timer no longer keeps the loop alive");
        assertEquals(5, timerCbCalled);
        assertFalse(t.isClosed());
    }
}
