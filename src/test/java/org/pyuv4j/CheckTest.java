package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** pyuv's {@code tests/test_check.py}, then the shared watcher behaviour. */
class CheckTest extends LoopWatcherContract<Check> {
    private int checkCbCalled;
    private int timerCbCalled;

    @Override
    Check create(Loop l) {
        return new Check(l);
    }

    @Test
    void test_check1() {
        Check check = new Check(loop);
        check.start(h -> {
            checkCbCalled++;
            h.stop();
            h.close();
        });
        Timer timer = new Timer(loop);
        timer.start(h -> {
            timerCbCalled++;
            h.stop();
            h.close();
        }, 0.1, 0);
        loop.run();
        assertEquals(1, checkCbCalled);
        assertEquals(1, timerCbCalled);
    }

    @Test
    void started_check_does_not_change_the_poll_timeout() {
        Timer timer = new Timer(loop);
        timer.start(h -> { }, 10, 0);
        new Check(loop).start(h -> checkCbCalled++);
        assertEquals(10.0, loop.getTimeout(), 0.002);
    }
}
