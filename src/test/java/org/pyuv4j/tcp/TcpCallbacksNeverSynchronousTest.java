package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.b;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §11.1: write, connect, shutdown and close callbacks are never called from inside the call
 * that requested them, not even when the request fails at once (libuv's test-callback-stack.c).
 */
@Timeout(30)
class TcpCallbacksNeverSynchronousTest extends TcpTestCase {
    // ============================================================ §11.1 callbacks are never synchronous

    @Test
    void writeCallbacksAreNeverSynchronous() {
        watchdog();
        pair((c, conn) -> {
            c.write(b("x"), (h, e) -> ev("write cb " + err(e)));
            ev("write returned");
            c.write(new byte[0], (h, e) -> ev("empty write cb " + err(e)));
            ev("empty write returned");
            // A write that fails at once (no peer) still reports in a later phase.
            TCP unconnected = new TCP(loop, StandardProtocolFamily.INET);
            unconnected.write(b("x"), (h, e) -> {
                ev("unconnected write cb " + err(e));
                h.close();
            });
            ev("unconnected write returned");
            after(0.05, () -> {
                c.close();
                conn.close();
            });
        });
        loop.run();
        assertEquals(List.of("write returned", "empty write returned", "unconnected write returned",
                "write cb null", "empty write cb null", "unconnected write cb UV_EPIPE"), events);
    }

    @Test
    void connectCallbacksAreNeverSynchronous() {
        watchdog();
        int refused = TcpSupport.unusedPort(loop);
        TCP srv = closingServer();
        Address address = srv.getsockname();
        after(0.001, () -> {
            TCP ok = new TCP(loop);
            ok.connect(address, (h, e) -> {
                ev("connect cb " + err(e));
                h.close();
                srv.close();
            });
            ev("connect returned");
            TCP bad = new TCP(loop);
            bad.connect(HOST, refused, (h, e) -> {
                ev("refused cb " + err(e));
                h.close();
            });
            ev("refused connect returned");
        });
        loop.run();
        assertEquals(4, events.size(), events::toString);
        assertEquals(List.of("connect returned", "refused connect returned"), events.subList(0, 2));
        assertTrue(events.containsAll(List.of("connect cb null", "refused cb UV_ECONNREFUSED")), events::toString);
    }

    @Test
    void shutdownCallbackIsNeverSynchronous() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> {
                ev("shutdown cb " + err(e));
                h.close();
                conn.close();
            });
            ev("shutdown returned");
        });
        loop.run();
        assertEquals(List.of("shutdown returned", "shutdown cb null"), events);
    }

    @Test
    void closeCallbackIsNeverSynchronous() {
        after(0.05, () -> { // a later iteration than the close before run (close callbacks of one iteration are LIFO)
            TCP t = new TCP(loop);
            t.close(h -> ev("close cb"));
            ev("close returned");
        });
        TCP before = new TCP(loop);
        before.close(h -> ev("close cb before run"));
        ev("close before run returned");
        loop.run();
        assertEquals(List.of("close before run returned", "close cb before run", "close returned", "close cb"), events);
    }
}
