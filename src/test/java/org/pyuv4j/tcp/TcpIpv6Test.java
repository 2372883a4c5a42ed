package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.3 / §4.8: IPv6: 4-field addresses, a dual-stack {@code '::'} server seeing mapped IPv4
 * peers, and the IPV6ONLY flag (libuv's test-tcp-bind6-error.c and test-ip6-addr.c).
 */
@Timeout(30)
class TcpIpv6Test extends TcpTestCase {
    /** pyuv-spec §4.8 (verified): IPv6 results are 4-tuples (flowinfo and scope id 0 here), IPv4 2-tuples. */
    @Test
    void ipv6AddressesHaveFourFields() {
        watchdog();
        Address[] seen = new Address[4];
        TCP srv = server("::1", (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            seen[0] = conn.getpeername();
            seen[1] = conn.getsockname();
            conn.close();
            s.close();
        });
        Address local = srv.getsockname();
        int port = local.port();
        assertEquals(Address.of("::1", port, 0, 0), local);
        assertTrue(local.isIPv6());
        assertEquals("('::1', " + port + ", 0, 0)", local.toString());
        TCP c = new TCP(loop);
        c.connect(local, (h, e) -> {
            assertNull(e);
            seen[2] = h.getsockname();
            seen[3] = h.getpeername();
            h.close();
        });
        loop.run();
        assertEquals(Address.of("::1", seen[2].port(), 0, 0), seen[2]);
        assertEquals(Address.of("::1", port, 0, 0), seen[3]);
        assertEquals(seen[2], seen[0], "the server sees the client's address");
        assertEquals(Address.of("::1", port, 0, 0), seen[1]);

        TCP v4 = new TCP(loop);
        v4.bind(HOST, 0);
        Address a = v4.getsockname();
        assertEquals(0, a.flowinfo());
        assertEquals(0, a.scopeId());
        assertFalse(a.isIPv6());
        assertEquals("('127.0.0.1', " + a.port() + ")", a.toString());
        v4.close();
        loop.run();
    }

    /** pyuv-spec §4.3 (verified): '::' is dual stack; a v4 client's peer is ('::ffff:127.0.0.1', p, 0, 0). */
    @Test
    void dualStackServerSeesMappedIpv4Peers() {
        watchdog();
        Address[] seen = new Address[4];
        TCP srv = server("::", (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            seen[0] = conn.getpeername();
            seen[1] = conn.getsockname();
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> {
            assertNull(e);
            seen[2] = h.getsockname();
            seen[3] = h.getpeername();
            h.close();
        });
        loop.run();
        assertNotNull(seen[0], "the server must accept the IPv4 client");
        assertEquals(Address.of("::ffff:127.0.0.1", seen[2].port(), 0, 0), seen[0]);
        assertEquals(Address.of("::ffff:127.0.0.1", port, 0, 0), seen[1]);
        assertEquals(Address.of(HOST, port), seen[3]);
    }

    /** pyuv-spec §4.3 (verified): IPV6ONLY with an IPv4 address is EINVAL, checked before a socket is made. */
    @Test
    void ipv6OnlyWithAnIpv4AddressIsEinval() {
        TCP t = new TCP(loop);
        assertTcpError(Errno.UV_EINVAL, () -> t.bind(Address.of(HOST, 0), TCP.IPV6ONLY));
        assertTcpError(Errno.UV_EINVAL, t::getFamily);
        assertFalse(t.isReadable());
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_EINVAL, () -> inet.bind(Address.of("0.0.0.0", 0), TCP.IPV6ONLY));
        t.close();
        inet.close();
        loop.run();
    }

    /**
     * IPV6ONLY on '::': IPv4 clients are refused, IPv6 ones accepted. NIO cannot set IPV6_V6ONLY:
     * there bind raises ENOTSUP (allowed difference).
     */
    @Test
    void ipv6OnlyServerRefusesIpv4Clients() {
        watchdog();
        TCP srv = new TCP(loop);
        if (!nativeTransport()) {
            assertTcpError(Errno.UV_ENOTSUP, () -> srv.bind(Address.of("::1", 0), TCP.IPV6ONLY));
            srv.close();
            loop.run();
            return;
        }
        srv.bind(Address.of("::", 0), TCP.IPV6ONLY);
        srv.listen((s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted " + conn.getpeername().host());
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP v4 = new TCP(loop);
        v4.connect(HOST, port, (h, e) -> {
            ev("v4 " + err(e));
            h.close();
            TCP v6 = new TCP(loop);
            v6.connect("::1", port, (h6, e6) -> {
                ev("v6 " + err(e6));
                h6.close();
            });
        });
        loop.run();
        assertEquals(3, events.size(), events::toString);
        assertEquals("v4 UV_ECONNREFUSED", events.get(0));
        assertTrue(events.containsAll(List.of("v6 null", "accepted ::1")), events::toString);
    }
}
