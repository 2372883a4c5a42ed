package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.PING;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.str;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.5: shutdown: ENOTCONN without a writable stream and the second time, on a bound
 * listener only completed by close, waiting for the queued writes, half-close both ways (libuv's
 * test-shutdown-twice.c, test-shutdown-close.c and test-tcp-shutdown-after-write.c). Also pyuv's
 * {@code TCPShutdownTest}.
 */
@Timeout(30)
class TcpShutdownTest extends TcpTestCase {
    // =========================================================================== TCPShutdownTest

    private int shutdownCbCalled;
    private int closeCbCalled;

    private void onClose(TCP handle) {
        closeCbCalled++;
    }

    @Test
    void test_tcp_shutdown() {
        listeningServer((srv, error) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            clientConnections.add(conn);
            conn.startRead((cc, data, err) -> {
                if (data == null) {
                    cc.close(this::onClose);
                    clientConnections.remove(cc);
                    server.close(this::onClose);
                }
            });
            conn.write(PING);
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, err) -> {
                assertNotNull(data, () -> "expected data, got error " + TcpSupport.name(err));
                assertArrayEquals(PING, data);
                cc.shutdown((h, e) -> {
                    shutdownCbCalled++;
                    h.close(this::onClose);
                });
            });
        });
        loop.run();
        assertEquals(1, shutdownCbCalled);
        assertEquals(3, closeCbCalled);
    }

    // ============================================================ §3.5 shutdown

    /** pyuv-spec §3.5 (verified): ENOTCONN when not writable. */
    @Test
    void shutdownWithoutAWritableStreamIsEnotconn() {
        TCP fresh = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_ENOTCONN, fresh::shutdown);
        assertEquals("socket is not connected", e.getMessage());
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_ENOTCONN, () -> inet.shutdown((h, x) -> ev("shutdown cb")));
        TCP listener = new TCP(loop);
        listener.listen((s, x) -> ev("listen cb"));
        assertTcpError(Errno.UV_ENOTCONN, () -> listener.shutdown((h, x) -> ev("shutdown cb")));
        fresh.close();
        inet.close();
        listener.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.5 (verified): a bound listener is writable: shutdown is accepted, its callback comes at close with ECANCELED. */
    @Test
    void shutdownOnABoundListenerCompletesOnlyAtClose() {
        TCP srv = server(HOST, (s, e) -> ev("listen cb"));
        srv.shutdown((h, e) -> ev("shutdown " + err(e)));
        after(0.1, () -> {
            ev("timer");
            srv.close(h -> ev("close"));
        });
        loop.run();
        assertEquals(List.of("timer", "shutdown UV_ECANCELED", "close"), events);
    }

    /** pyuv-spec §3.5 (verified): a second shutdown raises ENOTCONN, pending or done. */
    @Test
    void secondShutdownIsEnotconn() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                assertTcpError(Errno.UV_ENOTCONN, () -> h.shutdown((x, y) -> ev("third shutdown cb")));
                ev("third raised");
                h.close();
                conn.close();
            });
            assertTcpError(Errno.UV_ENOTCONN, () -> c.shutdown((x, y) -> ev("second shutdown cb")));
            ev("second raised");
        });
        loop.run();
        assertEquals(List.of("second raised", "shutdown null", "third raised"), events);
    }

    /** pyuv-spec §3.5: shutdown waits for the queued writes; the peer gets every byte, then EOF. */
    @Test
    void shutdownWaitsForQueuedWrites() {
        watchdog();
        byte[] data = new byte[4 << 20];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            for (int i = 0; i < 4; i++) {
                int n = i;
                c.write(java.util.Arrays.copyOfRange(data, i << 20, (i + 1) << 20), (h, e) -> ev("write " + n + " " + err(e)));
            }
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
            assertTrue(c.getWriteQueueSize() > 0, "4 MiB to a peer that is not reading yet must queue");
            conn.startRead((h, d, e) -> {
                if (d != null) {
                    got.writeBytes(d);
                    return;
                }
                assertEquals(data.length, got.size(), "EOF only after all bytes");
                ev("peer eof " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("write 0 null", "write 1 null", "write 2 null", "write 3 null", "shutdown null"),
                events.subList(0, 5));
        assertTrue(events.contains("peer eof UV_EOF"), events::toString);
        assertArrayEquals(data, got.toByteArray());
    }

    /** pyuv-spec §3.5: half-close both ways; reading goes on after our own shutdown. */
    @Test
    void halfCloseBothWays() {
        watchdog();
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                assertNull(data, "the client sends nothing");
                ev("server eof " + err(e));
                h.write(b("late"), (x, y) -> ev("server write " + err(y)));
                h.shutdown((x, y) -> ev("server shutdown " + err(y)));
            });
            c.startRead((h, data, e) -> {
                if (data != null) {
                    ev("client read " + str(data));
                    return;
                }
                ev("client eof " + err(e));
                h.close();
                conn.close();
            });
            c.shutdown((h, e) -> ev("client shutdown " + err(e)));
        });
        loop.run();
        assertEquals(List.of("client shutdown null", "server eof UV_EOF", "server write null", "server shutdown null",
                "client read late", "client eof UV_EOF"), events);
    }
}
