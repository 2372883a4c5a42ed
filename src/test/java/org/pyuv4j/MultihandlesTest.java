package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/** pyuv's {@code tests/test_multihandles.py}. */
class MultihandlesTest extends UvTestCase {
    private int closeCbCalled;
    private int prepareCbCalled;
    private int idleCbCalled;
    private int checkCbCalled;
    private int timerCbCalled;

    @Test
    void test_multihandle1() {
        HandleCallback<Prepare> prepareClose = h -> closeCbCalled++;
        HandleCallback<Idle> idleClose = h -> closeCbCalled++;
        HandleCallback<Check> checkClose = h -> closeCbCalled++;
        HandleCallback<Timer> timerClose = h -> closeCbCalled++;
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> {
            prepareCbCalled++;
            h.stop();
            h.close(prepareClose);
        });
        Idle idle = new Idle(loop);
        idle.start(h -> {
            idleCbCalled++;
            h.stop();
            h.close(idleClose);
        });
        Check check = new Check(loop);
        check.start(h -> {
            checkCbCalled++;
            h.stop();
            h.close(checkClose);
        });
        Timer timer = new Timer(loop);
        timer.start(h -> {
            timerCbCalled++;
            h.stop();
            h.close(timerClose);
        }, 0.1, 0);
        loop.run();
        assertEquals(1, prepareCbCalled);
        assertEquals(1, idleCbCalled);
        assertEquals(1, checkCbCalled);
        assertEquals(4, closeCbCalled);
        assertEquals(1, timerCbCalled);
    }
}
