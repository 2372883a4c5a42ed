package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Idle;
import org.pyuv4j.Prepare;
import org.pyuv4j.RunMode;
import org.pyuv4j.Timer;

/**
 * Bad input to the other handles: null watcher callbacks (Idle, Prepare, Check), an Async without a
 * callback, a second {@code close()} (see BadInputTestCase).
 */
class BadInputHandleTest extends BadInputTestCase<BadInputHandleTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputHandleTest> r = new Rows<>();

        // ---- Idle, Prepare, Check, Async, Handle
        r.add("Idle.start(null)", t -> {
            Idle h = new Idle(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        });
        r.add("Prepare.start(null)", t -> {
            Prepare h = new Prepare(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        });
        r.add("Check.start(null)", t -> {
            Check h = new Check(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        });
        r.add("new Async(loop, null) then send", t -> {
            Async a = new Async(t.loop, null); // allowed: pyuv's callback is optional
            a.send();
            t.loop.run(RunMode.NOWAIT);
            assertTrue(a.isActive());
            t.loopStillRuns();
        });
        r.add("Handle.close twice", t -> {
            Timer timer = new Timer(t.loop);
            timer.close(x -> t.ev("first close callback"));
            t.closed(() -> timer.close(x -> t.ev("second close callback")));
            t.closed(timer::close);
            t.runUntil("the close callback", () -> !t.events.isEmpty());
            assertEquals(List.of("first close callback"), t.events);
            timer.setRef(true); // allowed on closed handles
            assertNotNull(t.loop);
        });
        return r.stream();
    }
}
