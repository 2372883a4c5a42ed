package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.8 / §4.13: getsockname and getpeername: EINVAL without a socket, the wildcard address
 * of an unbound early socket, ENOTCONN without a peer (libuv's test-getsockname.c).
 */
@Timeout(30)
class TcpNamesTest extends TcpTestCase {
    // ============================================================ §4.8 / §4.13 names and family

    @Test
    void familyAndNamesWithoutSocketAreEinval() {
        TCP t = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EINVAL, t::getFamily);
        assertEquals("invalid argument", e.getMessage());
        assertTcpError(Errno.UV_EINVAL, t::getsockname);
        assertTcpError(Errno.UV_EINVAL, t::getpeername);
        t.close();
        loop.run();
    }

    /** pyuv-spec §4.8 (verified). */
    @Test
    void getsocknameOfUnboundEarlySockets() {
        TCP v4 = new TCP(loop, StandardProtocolFamily.INET);
        assertEquals(Address.of("0.0.0.0", 0), v4.getsockname());
        TCP v6 = new TCP(loop, StandardProtocolFamily.INET6);
        assertEquals(Address.of("::", 0, 0, 0), v6.getsockname());
        v4.close();
        v6.close();
        loop.run();
    }

    /** pyuv-spec §4.8 (verified): getpeername without a peer is ENOTCONN. */
    @Test
    void getpeernameWithoutPeerIsEnotconn() {
        TCP early = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_ENOTCONN, early::getpeername);
        assertEquals("socket is not connected", e.getMessage());
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        assertTcpError(Errno.UV_ENOTCONN, bound::getpeername);
        TCP listening = server(HOST, (s, x) -> ev("listen cb"));
        assertTcpError(Errno.UV_ENOTCONN, listening::getpeername);
        early.close();
        bound.close();
        listening.close();
        loop.run();
        assertEquals(List.of(), events);
    }
}
