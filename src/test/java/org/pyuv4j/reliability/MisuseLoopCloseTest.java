package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.Events.sorted;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.UVError;

/**
 * Faults: misuse of the loop. A loop closed with handles open or requests in flight refuses with
 * UVError(UV_EBUSY) and stays usable (API.md); a closed loop refuses everything, and closing it again
 * does nothing (libuv's test-loop-close.c).
 */
class MisuseLoopCloseTest extends ReliabilityTestCase {
    private static void assertBusy(Loop l) {
        UVError e = assertThrows(UVError.class, l::close);
        assertSame(UVError.class, e.getClass());
        assertEquals(Errno.UV_EBUSY, e.errno());
        assertEquals("resource busy or locked", e.getMessage());
    }

    @Test
    void closingALoopWithOpenHandlesIsEbusyAndTheLoopStaysUsable() {
        Timer timer = new Timer(loop);
        TCP server = server((s, e) -> {
            ev("connection");
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
            s.close(); // here, not in the connect callback: the two callbacks come in either order
        });
        assertBusy(loop);
        // Still usable: the handles work, new handles can be made, run() runs.
        timer.start(t -> ev("timer"), 0.001, 0);
        Timer t2 = new Timer(loop);
        t2.start(t -> {
            IllegalStateException inside = assertThrows(IllegalStateException.class, loop::close);
            assertTrue(inside.getMessage().contains("inside run()"), inside.getMessage());
            ev("close refused inside run");
            t.close();
        }, 0.001, 0);
        TCP c = new TCP(loop);
        c.connect(server.getsockname(), (h, e) -> {
            assertNull(e);
            ev("connected");
            h.close();
            timer.close();
        });
        loop.run();
        assertEquals(List.of("close refused inside run", "connected", "connection", "timer"), sorted(events));
        assertNoneLeft(loop.getHandles());
        // A closing handle whose close callback has not run still counts.
        Timer closing = new Timer(loop);
        closing.close();
        assertBusy(loop);
        loop.run();
        assertNoneLeft(loop.getHandles());
    }

    @Test
    void closingALoopWithARequestInFlightIsEbusy() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        loop.queueWork(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, e -> ev("work done " + err(e)));
        assertBusy(loop);
        loop.execute(() -> ev("task"));
        release.countDown();
        loop.run();
        assertEquals(List.of("task", "work done null"), sorted(events));
    }

    @Test
    void aClosedLoopRefusesEverythingAndClosingAgainDoesNothing() {
        Loop other = new Loop(transport());
        other.close();
        other.close(); // idempotent
        assertTrue(assertThrows(IllegalStateException.class, other::run).getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> new Timer(other));
        assertThrows(IllegalStateException.class, () -> new TCP(other));
        assertThrows(IllegalStateException.class, () -> other.execute(() -> { }));
        assertThrows(IllegalStateException.class, () -> other.queueWork(() -> { }));
    }
}
