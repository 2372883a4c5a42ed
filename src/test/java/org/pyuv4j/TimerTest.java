package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.test.LogCapture;
import org.pyuv4j.test.UvTestCase;
import org.slf4j.event.Level;

/**
 * pyuv's {@code tests/test_timer.py} (6 tests), then the rest of pyuv-spec §7 for Timer: start (and
 * its rejected arguments), restart, stop, the firing order, the cached loop time, close and
 * exceptions (libuv's test-timer.c). {@code again()} and the repeat are in TimerAgainTest.
 */
class TimerTest extends UvTestCase {
    private int timerCbCalled;
    private Timer timer;

    @Test
    void test_timer1() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.stop();
            h.close();
        }, 0.1, 0);
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void test_timer_never() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.stop();
            h.close();
        }, 0.1, 0);
        t.close();
        loop.run();
        assertEquals(0, timerCbCalled);
    }

    @Test
    void test_timer_ref1() {
        timer = new Timer(loop);
        loop.run();
        assertEquals(0, timerCbCalled);
    }

    @Test
    void test_timer_ref2() {
        timer = new Timer(loop);
        timer.start(h -> {
            timerCbCalled++;
            h.stop();
            h.close();
        }, 0.1, 0);
        timer.setRef(false);
        loop.run();
        assertEquals(0, timerCbCalled);
        timer.setRef(true);
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void test_timer_noref() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.close();
        }, 0.1, 0);
        t = null;
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    /** pyuv emits a RuntimeWarning; pyuv4j logs one WARN with pyuv's text and clamps to 1 ms. */
    @Test
    void test_timer_submillisecond() {
        Timer t = new Timer(loop);
        LogCapture.setQuiet(true);
        LogCapture.clear();
        try {
            t.start(h -> {
                timerCbCalled++;
                h.close();
            }, 0.00001, 0);
        } finally {
            LogCapture.setQuiet(false);
        }
        List<LogCapture.Event> warnings = warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("timers don't have sub-millisecond accuracy, setting timeout to 1ms", warnings.get(0).message());
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    private static List<LogCapture.Event> warnings() {
        List<LogCapture.Event> out = new ArrayList<>();
        for (LogCapture.Event e : LogCapture.events()) {
            if (e.level() == Level.WARN && e.logger().startsWith("org.pyuv4j")) {
                out.add(e);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ pyuv-spec §7 Timer

    @Test
    void submillisecond_repeat_warns_and_is_clamped_to_one_ms() {
        Timer t = new Timer(loop);
        LogCapture.setQuiet(true);
        LogCapture.clear();
        try {
            t.start(h -> { }, 0.0005, 0.0005);
        } finally {
            LogCapture.setQuiet(false);
        }
        List<LogCapture.Event> warnings = warnings();
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals("timers don't have sub-millisecond accuracy, setting timeout to 1ms", warnings.get(0).message());
        assertEquals("timers don't have sub-millisecond accuracy, setting repeat to 1ms", warnings.get(1).message());
        assertEquals(0.001, t.getRepeat());
        // 0 and whole milliseconds do not warn.
        LogCapture.clear();
        t.start(h -> { }, 0, 0.001);
        assertEquals(List.of(), warnings());
    }

    @Test
    void start_rejects_negative_and_nan_times() {
        Timer t = new Timer(loop);
        HandleCallback<Timer> cb = h -> timerCbCalled++;
        for (double[] bad : new double[][] {{-1, 0}, {0, -1}, {-0.0001, 0}, {Double.NaN, 0}, {0, Double.NaN},
                {Double.NEGATIVE_INFINITY, 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.start(cb, bad[0], bad[1]));
            assertEquals("a positive value or zero is required", e.getMessage());
            assertFalse(t.isActive(), "a rejected start must not start the timer");
        }
        loop.run();
        assertEquals(0, timerCbCalled);
    }

    @Test
    void start_rejects_null_callback() {
        Timer t = new Timer(loop);
        assertThrows(NullPointerException.class, () -> t.start(null, 0, 0));
        assertFalse(t.isActive());
    }

    @Test
    void a_rejected_start_keeps_the_running_timer() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            h.close();
        }, 0.01, 0);
        assertThrows(IllegalArgumentException.class, () -> t.start(h -> timerCbCalled += 100, -1, 0));
        assertTrue(t.isActive());
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void restart_replaces_callback_and_timeout() {
        Timer t = new Timer(loop);
        List<String> calls = new ArrayList<>();
        t.start(h -> calls.add("first"), 10, 0);
        t.start(h -> {
            calls.add("second");
            h.close();
        }, 0.001, 0);
        assertEquals(0.001, loop.getTimeout(), 0.001);
        loop.run();
        assertEquals(List.of("second"), calls);
    }

    @Test
    void timers_due_at_the_same_time_fire_in_start_order() {
        List<Integer> order = new ArrayList<>();
        int n = 20;
        for (int i = 0; i < n; i++) {
            int id = i;
            new Timer(loop).start(h -> {
                order.add(id);
                h.close();
            }, 0.01, 0);
        }
        loop.run();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @Test
    void timers_fire_in_due_order() {
        List<String> order = new ArrayList<>();
        Timer a = new Timer(loop);
        Timer b = new Timer(loop);
        Timer c = new Timer(loop);
        a.start(h -> {
            order.add("a");
            h.close();
        }, 0.03, 0);
        b.start(h -> {
            order.add("b");
            h.close();
        }, 0.01, 0);
        c.start(h -> {
            order.add("c");
            h.close();
        }, 0.02, 0);
        loop.run();
        assertEquals(List.of("b", "c", "a"), order);
    }

    @Test
    void one_shot_timer_is_inactive_in_its_callback() {
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            assertFalse(h.isActive());
        }, 0, 0);
        assertTrue(t.isActive());
        assertFalse(loop.run());
        assertEquals(1, timerCbCalled);
        assertFalse(t.isActive());
    }

    @Test
    void restart_from_callback() {
        Timer t = new Timer(loop);
        AtomicReference<HandleCallback<Timer>> cb = new AtomicReference<>();
        cb.set(h -> {
            timerCbCalled++;
            if (timerCbCalled < 3) {
                h.start(cb.get(), 0.001, 0);
            }
        });
        t.start(cb.get(), 0.001, 0);
        loop.run();
        assertEquals(3, timerCbCalled);
    }

    @Test
    void timeout_is_measured_from_the_cached_loop_time() {
        Timer t = new Timer(loop);
        long[] firedAt = {0};
        loop.updateTime();
        long startedAt = loop.now();
        t.start(h -> firedAt[0] = loop.now(), 0.05, 0);
        loop.run();
        assertTrue(firedAt[0] - startedAt >= 50, "fired after " + (firedAt[0] - startedAt) + " ms");
    }

    @Test
    void closed_timer_raises_handle_closed_error() {
        Timer t = new Timer(loop);
        t.start(h -> timerCbCalled++, 0, 0);
        t.close();
        assertThrows(HandleClosedError.class, () -> t.start(h -> { }, 0, 0));
        assertThrows(HandleClosedError.class, t::stop);
        assertThrows(HandleClosedError.class, t::again);
        assertThrows(HandleClosedError.class, t::close);
        assertFalse(t.isActive());
        loop.run();
        assertEquals(0, timerCbCalled);
    }

    @Test
    void stop_is_idempotent_and_timer_restartable() {
        Timer t = new Timer(loop);
        t.stop();
        t.start(h -> timerCbCalled++, 10, 0);
        t.stop();
        t.stop();
        assertFalse(t.isActive());
        assertFalse(loop.run());
        t.start(h -> {
            timerCbCalled++;
            h.close();
        }, 0, 0);
        loop.run();
        assertEquals(1, timerCbCalled);
    }

    @Test
    void exception_in_timer_callback_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom");
        List<Object> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        Timer t = new Timer(loop);
        t.start(h -> {
            timerCbCalled++;
            if (timerCbCalled == 2) {
                h.close();
            }
            throw boom;
        }, 0, 0.001);
        assertFalse(loop.run());
        assertEquals(2, timerCbCalled, "the exception must not stop the loop or the timer");
        assertEquals(List.of(boom, boom), hooked);
        assertSame(null, t.getLoop());
    }
}
