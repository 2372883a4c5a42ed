package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** pyuv's {@code tests/test_prepare.py}, then the shared watcher behaviour. */
class PrepareTest extends LoopWatcherContract<Prepare> {
    private int prepareCbCalled;

    @Override
    Prepare create(Loop l) {
        return new Prepare(l);
    }

    @Test
    void test_prepare1() {
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> {
            prepareCbCalled++;
            h.stop();
            h.close();
        });
        loop.run();
        assertEquals(1, prepareCbCalled);
    }

    @Test
    void started_prepare_does_not_change_the_poll_timeout() {
        Timer timer = new Timer(loop);
        timer.start(h -> { }, 10, 0);
        new Prepare(loop).start(h -> prepareCbCalled++);
        assertEquals(10.0, loop.getTimeout(), 0.002);
    }
}
