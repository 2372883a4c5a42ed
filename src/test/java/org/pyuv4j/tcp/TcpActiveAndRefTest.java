package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.b;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §1.5 / §1.10 / §11.7: only reading and listening make a TCP handle active, and requests
 * keep the loop alive even on unreferenced handles (libuv's test-active.c and test-ref.c).
 */
@Timeout(30)
class TcpActiveAndRefTest extends TcpTestCase {
    /** pyuv-spec §1.10 / §11.7 (verified): only reading and listening make a TCP handle active. */
    @Test
    void activeOnlyWhileReadingOrListening() {
        watchdog();
        TCP srv = closingServer();
        assertTrue(srv.isActive(), "listening");
        TCP c = new TCP(loop);
        assertFalse(c.isActive());
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            assertFalse(h.isActive(), "connected, not reading");
            h.startRead((x, d, y) -> { });
            assertTrue(h.isActive(), "reading");
            h.stopRead();
            assertFalse(h.isActive(), "stopped");
            ev("checked");
            h.close();
            srv.close();
        });
        assertFalse(c.isActive(), "connecting");
        loop.run();
        assertEquals(List.of("checked"), events);
    }

    /** pyuv-spec §1.5 / §11.7 (verified): requests keep the loop alive even on unreferenced handles. */
    @Test
    void requestsOnUnreferencedHandlesKeepTheLoopAlive() {
        watchdog();
        TCP srv = closingServer();
        srv.setRef(false);
        TCP c = new TCP(loop);
        c.setRef(false);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.write(b("x"), (hh, x) -> {
                ev("write " + err(x));
                hh.close();
                srv.close();
            });
        });
        loop.run();
        assertEquals(List.of("connect null", "write null"), events);
    }
}
