package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** pyuv's {@code tests/test_idle.py}, then the shared watcher behaviour and Idle's own. */
class IdleTest extends LoopWatcherContract<Idle> {
    private int idleCbCalled;

    @Override
    Idle create(Loop l) {
        return new Idle(l);
    }

    @Test
    void test_idle1() {
        Idle idle = new Idle(loop);
        idle.start(h -> {
            idleCbCalled++;
            h.stop();
            h.close();
        });
        loop.run();
        assertEquals(1, idleCbCalled);
    }

    /** pyuv-spec §7: idle handles force a zero poll timeout. */
    @Test
    void started_idle_makes_the_poll_timeout_zero() {
        Timer timer = new Timer(loop);
        timer.start(h -> { }, 10, 0);
        assertEquals(10.0, loop.getTimeout(), 0.002);
        Idle idle = new Idle(loop);
        idle.start(h -> idleCbCalled++);
        assertEquals(0.0, loop.getTimeout());
        // ONCE would otherwise block 10 s for the timer.
        assertTrue(loop.run(RunMode.ONCE));
        assertEquals(1, idleCbCalled);
        idle.stop();
        assertEquals(10.0, loop.getTimeout(), 1.0); // the loop time moved on a little
    }
}
