package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.fillWriteQueue;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.4: try_write: byte counts, partial counts, then EAGAIN; EAGAIN while connecting, with
 * queued writes, without a peer and once the peer's reset is back; EBADF without a socket; never
 * queues (libuv's test-tcp-try-write.c; ports tcp_try_write_error). Also pyuv's {@code TCPTryTest}.
 */
@Timeout(30)
class TcpTryWriteTest extends TcpTestCase {
    // =========================================================================== TCPTryTest

    private TCP connection;
    private int tryWritten;

    @Test
    void test_tcp1_try() {
        listeningServer((srv, error) -> {
            assertNull(error);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            connection = conn;
            conn.startRead((cc, data, err) -> {
                if (data == null) {
                    cc.close();
                    connection = null;
                    server.close();
                }
            });
            // pyuv spins until try_write returns non-zero; bounded here so that a try_write that
            // keeps failing fails the test instead of hanging it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int r;
            while (true) {
                try {
                    r = conn.tryWrite(b("x"));
                } catch (TCPError e) {
                    if (System.nanoTime() - deadline > 0) {
                        fail("try_write kept failing on a fresh connection: " + e);
                    }
                    continue;
                }
                if (r != 0) {
                    break;
                }
            }
            tryWritten = r;
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, err) -> cc.close());
        });
        loop.run();
        assertEquals(1, tryWritten, "try_write returns the byte count");
        assertNull(connection, "the server side must see EOF and close");
    }

    // ============================================================ §3.4 try_write

    @Test
    void tryWriteWhileConnectingIsEagain() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
            srv.close();
        });
        TCPError e = assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(b("x")));
        assertEquals("resource temporarily unavailable", e.getMessage());
        assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(ByteBuffer.wrap(b("x"))));
        assertEquals(0, c.getWriteQueueSize(), "try_write never queues");
        loop.run();
        assertEquals(List.of("connect null"), events);
    }

    /** pyuv-spec §3.4 (verified): EAGAIN while write_queue_size != 0. */
    @Test
    void tryWriteWithQueuedWritesIsEagain() {
        watchdog();
        pair((c, conn) -> {
            fillWriteQueue(c, null);
            long queued = c.getWriteQueueSize();
            assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(b("x")));
            assertEquals(queued, c.getWriteQueueSize());
            ev("raised");
            c.close();
            conn.close();
        });
        loop.run();
        assertEquals(List.of("raised"), events);
    }

    /** pyuv-spec §3.4 (verified): partial counts, then EAGAIN; nothing queued; the counts are what the peer gets. */
    @Test
    void tryWriteReturnsPartialCountsThenEagain() {
        watchdog();
        long[] written = {0};
        long[] received = {0};
        List<Integer> results = new ArrayList<>();
        pair((c, conn) -> {
            byte[] big = new byte[1_000_000];
            TCPError last = null;
            for (int i = 0; i < 10_000; i++) {
                try {
                    int r = c.tryWrite(big);
                    assertTrue(r > 0 && r <= big.length, "try_write returned " + r);
                    results.add(r);
                    written[0] += r;
                } catch (TCPError e) {
                    last = e;
                    break;
                }
            }
            assertNotNull(last, "try_write never said EAGAIN to a peer that does not read");
            assertEquals(Errno.UV_EAGAIN, last.errno(), last::toString);
            assertTrue(results.stream().anyMatch(r -> r < big.length), () -> "no partial count: " + results);
            assertEquals(0, c.getWriteQueueSize(), "try_write never queues");
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    received[0] += data.length;
                    return;
                }
                ev("peer eof");
                h.close();
            });
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("shutdown null", "peer eof"), events);
        assertEquals(written[0], received[0], "the peer gets exactly the bytes try_write reported");
    }

    @Test
    void tryWriteReturnsByteCountsAndZeroForEmptyData() {
        watchdog();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            assertEquals(0, c.tryWrite(new byte[0]));
            assertEquals(0, c.tryWrite(ByteBuffer.allocate(0)));
            assertEquals(2, c.tryWrite(b("hi")));
            ByteBuffer bb = ByteBuffer.wrap(b("--xyz"), 2, 3);
            assertEquals(3, c.tryWrite(bb));
            assertEquals(2, bb.position(), "try_write does not move the buffer's position");
            c.shutdown((h, e) -> h.close());
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                ev("peer got " + got.toString(StandardCharsets.ISO_8859_1));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("peer got hixyz"), events);
    }

    /** pyuv-spec §3.4 (verified): no peer: EAGAIN (libuv 1.13 quirk); no socket: EBADF. */
    @Test
    void tryWriteWithoutPeerOrSocket() {
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_EAGAIN, () -> inet.tryWrite(b("x")));
        assertTcpError(Errno.UV_EAGAIN, () -> inet.tryWrite(ByteBuffer.wrap(b("x"))));
        TCP none = new TCP(loop);
        assertTcpError(Errno.UV_EBADF, () -> none.tryWrite(b("x")));
        assertTcpError(Errno.UV_EBADF, () -> none.tryWrite(ByteBuffer.wrap(b("x"))));
        inet.close();
        none.close();
        loop.run();
    }

    @Test
    void tryWriteAfterThePeerClosedFailsOnceTheResetIsBack() {
        // libuv's tcp_try_write_error: once the peer's close callback ran, its socket is closed, so
        // try_write succeeds until the reset comes back, which on loopback is at once. libuv 1.13 then
        // answers EAGAIN, not the socket error (pyuv-spec §3.4 and §8), with nothing queued.
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            conn.close(x -> {
                int writes = 0;
                try {
                    for (;;) {
                        assertEquals(4, c.tryWrite(b("meow")));
                        writes++;
                    }
                } catch (TCPError err) {
                    ev("try_write " + err(err.errno()) + ", queue " + c.getWriteQueueSize());
                    int n = writes;
                    assertTrue(n <= 2, () -> "the peer was still open: " + n + " writes went through");
                }
                c.close();
            });
        });
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        loop.run();
        assertEquals(List.of("connect null", "try_write UV_EAGAIN, queue 0"), events);
    }
}
