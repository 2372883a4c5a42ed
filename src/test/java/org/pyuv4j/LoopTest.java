package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/** pyuv's {@code tests/test_loop.py} (classes LoopRunTest and LoopAliveTest). */
class LoopTest extends UvTestCase {
    private int cbCalled;
    private int prepareCalled;
    private int timerCalled;

    // ---------------------------------------------------------------- LoopRunTest

    @Test
    void test_run_once() {
        for (int i = 0; i < 500; i++) {
            Prepare prepare = new Prepare(loop);
            prepare.start(h -> {
                h.close();
                cbCalled++;
            });
            loop.run(RunMode.ONCE);
        }
        assertEquals(500, cbCalled);
    }

    @Test
    void test_run_nowait() {
        Timer timer = new Timer(loop);
        timer.start(h -> {
            h.close();
            cbCalled = 1;
        }, 10, 10);
        loop.run(RunMode.NOWAIT);
        assertEquals(0, cbCalled);
    }

    @Test
    void test_stop() {
        int numTicks = 10;
        Timer timer = new Timer(loop);
        timer.start(h -> {
            timerCalled++;
            if (timerCalled == 1) {
                loop.stop();
            } else if (timerCalled == numTicks) {
                h.close();
            }
        }, 0.1, 0.1);
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> {
            prepareCalled++;
            if (prepareCalled == numTicks) {
                h.close();
            }
        });
        loop.run(RunMode.DEFAULT);
        assertEquals(1, timerCalled);
        assertTrue(prepareCalled >= 2, "prepare called " + prepareCalled);
        loop.run(RunMode.NOWAIT);
        assertTrue(prepareCalled >= 3, "prepare called " + prepareCalled);
        loop.run(RunMode.DEFAULT);
        assertEquals(10, timerCalled);
        assertEquals(10, prepareCalled);
    }

    // ---------------------------------------------------------------- LoopAliveTest

    @Test
    void test_loop_alive() {
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> {
            assertTrue(loop.isAlive());
            h.close();
            cbCalled++;
        });
        loop.run(RunMode.ONCE);
        assertEquals(1, cbCalled);
    }
}
