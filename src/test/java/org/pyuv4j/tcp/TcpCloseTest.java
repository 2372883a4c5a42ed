package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.repeat;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §2.2 / §2.3: close with requests in flight (finished writes complete, the rest and the
 * shutdown are cancelled, FIFO, before the close callback), the LIFO order of close callbacks, the loop
 * and ref of a handle around its close callback, and a closed listener's port being free again (libuv's
 * test-tcp-close.c and test-close-order.c). Also pyuv's {@code TCPTest2.test_tcp_write_cancel}.
 */
@Timeout(30)
class TcpCloseTest extends TcpTestCase {
    // =========================================================================== TCPTest2

    private int writeCbCount;

    @Test
    void test_tcp_write_cancel() {
        listeningServer((srv, error) -> {
            assertNull(error);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            byte[] data = repeat("PING", 1000);
            for (int x = 0; x < 1024; x++) {
                conn.write(data, (h, e) -> writeCbCount++);
            }
            conn.close();
            srv.close();
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            assertTrue(c.isReadable());
            assertTrue(c.isWritable());
        });
        loop.run();
        assertEquals(1024, writeCbCount);
    }

    // ---- pyuv-spec §2.2 / §2.3

    /**
     * pyuv-spec §2.2 (verified, p11.py): 20 x 1 MB writes + shutdown + close: finished writes get
     * None, the rest ECANCELED, FIFO; then shutdown ECANCELED; then the close callback.
     */
    @Test
    void closeWithWritesInFlightCompletesThemInOrder() {
        watchdog();
        pair((c, conn) -> {
            byte[] mb = new byte[1_000_000];
            for (int i = 0; i < 20; i++) {
                int n = i;
                c.write(mb, (h, e) -> ev("write " + n + " " + err(e)));
            }
            c.shutdown((h, e) -> ev("shutdown " + err(e)));
            c.close(h -> {
                ev("close, write_queue_size " + h.getWriteQueueSize());
                conn.close();
            });
        });
        loop.run();
        assertEquals(22, events.size(), events::toString);
        boolean cancelled = false;
        for (int i = 0; i < 20; i++) {
            String e = events.get(i);
            assertTrue(e.startsWith("write " + i + " "), () -> "FIFO: " + events);
            if (e.endsWith("UV_ECANCELED")) {
                cancelled = true;
            } else {
                assertTrue(e.endsWith(" null"), e);
                assertFalse(cancelled, () -> "a completed write after a cancelled one: " + events);
            }
        }
        assertTrue(cancelled, () -> "20 MB cannot all be in loopback buffers: " + events);
        assertEquals("shutdown UV_ECANCELED", events.get(20));
        assertEquals("close, write_queue_size 0", events.get(21));
    }

    /** pyuv-spec §2.2 (verified): shutdown immediately followed by close. */
    @Test
    void shutdownThenCloseCancelsTheShutdown() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> ev("shutdown " + err(e)));
            c.close(h -> {
                ev("close");
                conn.close();
            });
        });
        loop.run();
        assertEquals(List.of("shutdown UV_ECANCELED", "close"), events);
    }

    @Test
    void closeCallbacksRunLifo() {
        TCP a = new TCP(loop);
        TCP b = new TCP(loop, StandardProtocolFamily.INET);
        TCP c = new TCP(loop);
        c.bind(HOST, 0);
        a.close(h -> ev("a"));
        b.close(h -> ev("b"));
        c.close(h -> ev("c"));
        loop.run();
        assertEquals(List.of("c", "b", "a"), events);
    }

    /** pyuv-spec §2.2, §2.3, §12 (verified): loop, ref and handles around the close callback. */
    @Test
    void loopIsNullAfterTheCloseCallback() {
        TCP t = new TCP(loop);
        t.bind(HOST, 0);
        assertSame(loop, t.getLoop());
        t.close(h -> {
            ev("close cb");
            assertSame(loop, h.getLoop(), "still the loop during the close callback");
            assertFalse(h.isRef(), "ref reads False from the close callback on");
            assertFalse(loop.getHandles().contains(h), "gone from loop.handles during its close callback");
        });
        assertTrue(t.isClosed());
        assertTrue(t.isRef(), "ref still reads True while closing");
        assertTrue(loop.getHandles().contains(t), "a closing handle is still listed");
        assertSame(loop, t.getLoop());
        loop.run();
        assertEquals(List.of("close cb"), events);
        assertNull(t.getLoop());
        assertFalse(t.isRef());
        assertTrue(t.isClosed());
        assertFalse(t.isActive());
    }

    @Test
    void aClosedListenersPortCanBeBoundAgainInItsCloseCallback() {
        // libuv closes the descriptor inside uv_close(): by the close callback the port is free, even
        // when close() was called after this iteration's poll (here: in the listen callback).
        int port = TcpSupport.unusedPort(loop);
        TCP first = new TCP(loop);
        first.bind(HOST, port);
        first.listen((h, e) -> {
            TCP conn = new TCP(loop);
            h.accept(conn);
            conn.close();
            h.close(x -> {
                TCP second = new TCP(loop);
                second.bind(HOST, port);
                second.listen((y, ye) -> ev("second listen cb"));
                ev("second listening");
                second.close();
            });
        });
        TCP c = new TCP(loop);
        c.connect(first.getsockname(), (h, e) -> h.close());
        loop.run();
        assertEquals(List.of("second listening"), events);
    }

    @Test
    void aListenerClosedInAPollPhaseCallbackHasFreedItsPortWhenRunReturns() {
        // pyuv's tests bind one fixed port, each with a new loop that ends when its handles are closed,
        // often from a read or listen callback.
        int port = TcpSupport.unusedPort(loop);
        TCP first = new TCP(loop);
        first.bind(HOST, port);
        first.listen((h, e) -> {
            TCP conn = new TCP(loop);
            h.accept(conn);
            conn.close();
            h.close();
        });
        TCP c = new TCP(loop);
        c.connect(first.getsockname(), (h, e) -> h.close());
        loop.run();
        Loop next = new Loop();
        TCP second = new TCP(next);
        second.bind(HOST, port);
        second.listen((h, e) -> ev("second listen cb")); // UV_EADDRINUSE if the first still listens
        ev("second listening");
        second.close();
        next.run();
        next.close();
        assertEquals(List.of("second listening"), events);
    }
}
