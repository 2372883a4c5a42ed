package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.6: connect: errors arrive in the callback (ECONNREFUSED) or are raised (EALREADY,
 * EAFNOSUPPORT, EISCONN), writes queued while connecting, the implicit bind to an ephemeral port
 * (libuv's test-connection-fail.c, test-tcp-connect-error.c, test-tcp-connect-error-after-write.c and
 * test-tcp-write-after-connect.c). Also pyuv's {@code TCPErrorTest.test_client1}.
 */
@Timeout(30)
class TcpConnectTest extends TcpTestCase {
    // =========================================================================== TCPErrorTest

    @Test
    void test_client1() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        c.connect(HOST, port, this::onClientConnectError);
        loop.run();
        assertEquals(1, connectErrors, "the connect callback must report the error");
    }

    // ============================================================ §4.6 connect

    /** pyuv-spec §4.6 (verified): ECONNREFUSED is never raised; it arrives in the callback; the handle stays open. */
    @Test
    void econnrefusedArrivesInTheCallback() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        after(0.001, () -> {
            TCP c = new TCP(loop);
            c.connect(HOST, port, (h, e) -> {
                ev("connect " + err(e));
                assertEquals("connection refused", Errno.strerror(e));
                assertFalse(h.isClosed(), "a failed connect does not close the handle");
                assertFalse(h.isActive());
                h.close();
            });
            ev("connect returned");
        });
        loop.run();
        assertEquals(List.of("connect returned", "connect UV_ECONNREFUSED"), events);
    }

    /** pyuv-spec §4.6 (verified): port 0 is refused too, in the callback. */
    @Test
    void connectToPortZeroIsRefusedInTheCallback() {
        watchdog();
        TCP c = new TCP(loop);
        c.connect(HOST, 0, (h, e) -> {
            ev("connect " + err(e));
            h.close();
        });
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED"), events);
    }

    @Test
    void secondConnectWhilePendingIsEalready() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("first " + err(e));
            h.close();
            srv.close();
        });
        TCPError e = assertTcpError(Errno.UV_EALREADY, () -> c.connect(srv.getsockname(), (h, x) -> ev("second")));
        assertEquals("connection already in progress", e.getMessage());
        loop.run();
        assertEquals(List.of("first null"), events);
    }

    @Test
    void ipv6AddressOnAnInetHandleIsEafnosupport() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_EAFNOSUPPORT, () -> c.connect("::1", 9, (h, x) -> ev("connect cb")));
        assertEquals("address family not supported", e.getMessage());
        c.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §4.6 (verified Linux quirk): the first re-connect succeeds (callback None), the next is EISCONN. */
    @Test
    void reconnectQuirkThenEisconn() {
        watchdog();
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.startRead((h, d, x) -> h.close());
            s.close();
        });
        Address address = srv.getsockname();
        TCP c = new TCP(loop);
        c.connect(address, (h, e) -> {
            ev("connect 1 " + err(e));
            h.connect(address, (h2, e2) -> {
                ev("connect 2 " + err(e2));
                TCPError x = assertTcpError(Errno.UV_EISCONN, () -> h2.connect(address, (h3, e3) -> ev("connect 3")));
                assertEquals("socket is already connected", x.getMessage());
                ev("connect 3 raised");
                h2.close();
            });
            ev("connect 2 returned");
        });
        loop.run();
        assertEquals(List.of("connect 1 null", "connect 2 returned", "connect 2 null", "connect 3 raised"), events);
    }

    /**
     * Follows from Linux and libuv 1.13 (not a probe of pyuv-spec): an accepted socket is already
     * SS_CONNECTED, so connect(2) on it says EISCONN at once and uv_tcp_connect returns it.
     */
    @Test
    void connectOnAnAcceptedHandleIsEisconn() {
        watchdog();
        pair((c, conn) -> {
            assertTcpError(Errno.UV_EISCONN, () -> conn.connect(c.getsockname(), (h, e) -> ev("connect cb " + err(e))));
            ev("raised");
            c.close();
            conn.close();
        });
        loop.run();
        assertEquals(List.of("raised"), events);
    }

    /** pyuv-spec §4.6 / §3.3 (verified): writes queued while connecting are cancelled right after a failed connect. */
    @Test
    void failedConnectCancelsQueuedWritesAndLeavesTheHandleOpen() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> ev("connect " + err(e)));
        c.write(b("abc"), (h, e) -> ev("write " + err(e)));
        assertEquals(3, c.getWriteQueueSize(), "write_queue_size while connecting");
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED", "write UV_ECANCELED"), events);
        assertFalse(c.isClosed());
        assertTrue(c.isReadable());
        assertTrue(c.isWritable());
        assertEquals(0, c.getWriteQueueSize());
        c.close();
        loop.run();
    }

    /** pyuv-spec §3.3 (verified order): connect cb, then write cb, then shutdown cb; the peer gets the data then EOF. */
    @Test
    void writesQueuedWhileConnectingAreFlushedAfterConnect() {
        watchdog();
        List<String> serverEvents = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            conn.startRead((h, data, x) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                serverEvents.add(got.toString(StandardCharsets.ISO_8859_1) + " then " + err(x));
                h.close();
            });
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        assertFalse(c.isActive(), "connecting does not make the handle active");
        c.write(b("abc"), (h, e) -> ev("write " + err(e)));
        assertEquals(3, c.getWriteQueueSize());
        c.shutdown((h, e) -> {
            ev("shutdown " + err(e));
            h.close();
        });
        loop.run();
        assertEquals(List.of("connect null", "write null", "shutdown null"), events);
        assertEquals(List.of("abc then UV_EOF"), serverEvents);
    }

    /**
     * libuv 1.13 calls connect(2) inside uv_tcp_connect, so an unbound handle has its ephemeral
     * port as soon as connect() returns (pyuv-spec §4.6: connecting binds implicitly), whether the
     * loop is running or not.
     */
    @Test
    void connectBindsImplicitlyToAnEphemeralPortFromInsideTheLoop() {
        watchdog();
        TCP srv = closingServer();
        Address address = srv.getsockname();
        after(0.001, () -> {
            TCP c = new TCP(loop);
            assertTcpError(Errno.UV_EINVAL, c::getsockname);
            c.connect(address, (h, e) -> {
                assertNull(e);
                Address local = h.getsockname();
                assertEquals(HOST, local.host());
                assertTrue(local.port() > 0);
                ev("connected");
                h.close();
                srv.close();
            });
            Address early = c.getsockname();
            ev("right after connect(): " + early.host() + (early.port() > 0 ? " ephemeral" : " port 0"));
        });
        loop.run();
        assertEquals(List.of("right after connect(): 127.0.0.1 ephemeral", "connected"), events);
    }

    /** As above, with connect() called before the loop runs (as pyuv's tests do). */
    @Test
    void connectBindsImplicitlyToAnEphemeralPortBeforeTheLoopRuns() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
            srv.close();
        });
        Address early = c.getsockname();
        ev("right after connect(): " + early.host() + (early.port() > 0 ? " ephemeral" : " port 0"));
        loop.run();
        assertEquals(List.of("right after connect(): 127.0.0.1 ephemeral", "connect null"), events);
    }
}
