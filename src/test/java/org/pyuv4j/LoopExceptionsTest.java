package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.LogCapture;
import org.pyuv4j.test.UvTestCase;
import org.slf4j.event.Level;

/**
 * pyuv-spec §1.9: exceptions in callbacks never stop the loop; Errors reach the excepthook too; the
 * test loop rethrows the first callback failure from {@code run()}.
 */
class LoopExceptionsTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

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
