package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Errno;
import org.pyuv4j.Timer;
import org.pyuv4j.error.TimerError;

/**
 * Bad input to Timer: a null callback, negative, NaN and -infinity times, a negative repeat,
 * {@code again()} on a timer never started (see BadInputTestCase).
 */
class BadInputTimerTest extends BadInputTestCase<BadInputTimerTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputTimerTest> r = new Rows<>();

        // ---- Timer
        r.add("Timer.start(null, 0, 0)", t -> {
            Timer timer = new Timer(t.loop);
            t.npe(() -> timer.start(null, 0, 0));
            t.timerStillFires(timer);
        });
        for (double[] bad : new double[][] {{-1, 0}, {0, -1}, {-0.001, 0}, {Double.NaN, 0}, {0, Double.NaN},
                {Double.NEGATIVE_INFINITY, 0}}) {
            r.add("Timer.start(cb, " + bad[0] + ", " + bad[1] + ")", t -> {
                Timer timer = new Timer(t.loop);
                t.iae(NEGATIVE_TIME, () -> timer.start(x -> t.ev("timer"), bad[0], bad[1]));
                assertTrue(!timer.isActive(), "not started");
                t.timerStillFires(timer);
                assertEquals(List.of(), t.events);
            });
        }
        r.add("Timer.setRepeat(-1)", t -> {
            Timer timer = new Timer(t.loop);
            t.iae("a positive float or 0.0 is required", () -> timer.setRepeat(-1));
            t.iae("a positive float or 0.0 is required", () -> timer.setRepeat(Double.NaN));
            assertEquals(0.0, timer.getRepeat());
            t.timerStillFires(timer);
        });
        r.add("Timer.again never started", t -> {
            Timer timer = new Timer(t.loop);
            TimerError e = t.rejects(TimerError.class, timer::again);
            assertEquals(Errno.UV_EINVAL, e.errno());
            t.timerStillFires(timer);
        });
        return r.stream();
    }
}
