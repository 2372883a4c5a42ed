package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.3: bind, early bind on a handle made with a family, and bind errors, EADDRINUSE
 * deferred to the next call (libuv's test-tcp-bind-error.c, test-tcp-bind6-error.c and
 * test-tcp-create-socket-early.c). Also pyuv's {@code TCPTest.test_tcp_bind} and {@code TCPEarlyBindTest}.
 */
@Timeout(30)
class TcpBindTest extends TcpTestCase {
    // ---- pyuv's TCPTest.test_tcp_bind

    @Test
    void test_tcp_bind() {
        server = new TCP(loop);
        server.bind("", 0);
        assertEquals("0.0.0.0", server.getsockname().host(), "'' means INADDR_ANY");
        server.close();
        loop.run();
    }

    // =========================================================================== TCPEarlyBindTest

    @Test
    void test_early_bind_unspec() {
        TCP c = new TCP(loop, null);
        c.bind("127.0.0.1", 0);
        c.close();
        loop.run();
    }

    @Test
    void test_early_bind_unspec2() {
        TCP c = new TCP(loop, null);
        c.bind("::1", 0);
        c.close();
        loop.run();
    }

    @Test
    void test_early_bind_inet() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET);
        c.bind("127.0.0.1", 0);
        c.close();
        loop.run();
    }

    @Test
    void test_early_bind_inet_error() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET6);
        assertThrows(TCPError.class, () -> c.bind("127.0.0.1", 0));
        c.close();
        loop.run();
    }

    @Test
    void test_early_bind_inet6() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET6);
        c.bind("::1", 0);
        c.close();
        loop.run();
    }

    @Test
    void test_early_bind_inet6_error() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET);
        assertThrows(TCPError.class, () -> c.bind("::1", 0));
        c.close();
        loop.run();
    }

    // ---- pyuv-spec §4.3

    /** pyuv-spec §4.3 (verified): bind errors. */
    @Test
    void bindErrors() {
        TCP twice = new TCP(loop);
        twice.bind(HOST, 0);
        assertTcpError(Errno.UV_EINVAL, () -> twice.bind(HOST, 0));
        TCP inet6 = new TCP(loop, StandardProtocolFamily.INET6);
        assertTcpError(Errno.UV_EINVAL, () -> inet6.bind("127.0.0.1", 0));
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_ENOPROTOOPT, () -> inet.bind("::1", 0));
        assertEquals("protocol not available", e.getMessage());
        twice.close();
        inet6.close();
        inet.close();
        loop.run();
    }

    @Test
    void bindToAnAddressThisHostDoesNotHaveIsEaddrnotavailAtOnce() {
        // libuv's tcp_bind_error_addrnotavail_2 (4.4.4.4) and its IPv6 twin: only EADDRINUSE is deferred.
        TCP t4 = new TCP(loop);
        assertTcpError(Errno.UV_EADDRNOTAVAIL, () -> t4.bind("4.4.4.4", 0));
        t4.bind(HOST, 0); // the handle stays usable
        TCP t6 = new TCP(loop);
        assertTcpError(Errno.UV_EADDRNOTAVAIL, () -> t6.bind("2001:db8::1", 0));
        t4.close();
        t6.close();
        loop.run();
    }

    /** pyuv-spec §4.3 (verified): bind succeeds; getsockname, family and listen raise; connect clears it. */
    @Test
    void eaddrinuseIsDeferredAndConnectClearsIt() {
        watchdog();
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP second = new TCP(loop);
        second.bind(HOST, port);
        assertTrue(second.isReadable());
        assertTrue(second.isWritable());
        TCPError e = assertTcpError(Errno.UV_EADDRINUSE, second::getsockname);
        assertEquals("address already in use", e.getMessage());
        assertTcpError(Errno.UV_EADDRINUSE, second::getpeername);
        assertTcpError(Errno.UV_EADDRINUSE, second::getFamily);
        assertTcpError(Errno.UV_EADDRINUSE, () -> second.listen((s, x) -> ev("second listen cb")));
        assertFalse(second.isActive());
        Address[] local = new Address[1];
        second.connect(HOST, port, (h, x) -> {
            ev("connect " + err(x));
            local[0] = h.getsockname();
            assertEquals(StandardProtocolFamily.INET, h.getFamily());
            h.close();
        });
        loop.run();
        assertTrue(events.contains("connect null"), events::toString);
        assertTrue(events.contains("accepted"), events::toString);
        assertEquals(HOST, local[0].host());
        assertNotEquals(port, local[0].port(), "connects from an ephemeral port");
    }
}
