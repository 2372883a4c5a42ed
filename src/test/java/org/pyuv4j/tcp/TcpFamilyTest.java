package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.1 / §4.13: a handle's family: unknown until there is a socket, the socket's own
 * (accepted sockets included), and only INET, INET6 or unspecified at creation (libuv's
 * test-tcp-create-socket-early.c). Also pyuv's {@code TCPFamilyTest}.
 */
@Timeout(30)
class TcpFamilyTest extends TcpTestCase {
    // =========================================================================== TCPFamilyTest

    @Test
    void test_family_unspec() {
        TCP c = new TCP(loop, null);
        assertThrows(TCPError.class, c::getFamily);
        c.bind("127.0.0.1", 0);
        assertEquals(StandardProtocolFamily.INET, c.getFamily());
        c.close();
        loop.run();
    }

    @Test
    void test_family_unspec2() {
        TCP c = new TCP(loop, null);
        assertThrows(TCPError.class, c::getFamily);
        c.bind("::1", 0);
        assertEquals(StandardProtocolFamily.INET6, c.getFamily());
        c.close();
        loop.run();
    }

    @Test
    void test_family_inet() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET);
        assertEquals(StandardProtocolFamily.INET, c.getFamily());
        c.close();
        loop.run();
    }

    @Test
    void test_family_inet6() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET6);
        assertEquals(StandardProtocolFamily.INET6, c.getFamily());
        c.close();
        loop.run();
    }

    // ---- pyuv-spec §4.1 / §4.13

    /** pyuv-spec §4.1 (verified): a family other than INET/INET6/unspecified is EINVAL; no handle is left. */
    @Test
    void unixFamilyIsEinval() {
        TCPError e = assertTcpError(Errno.UV_EINVAL, () -> new TCP(loop, StandardProtocolFamily.UNIX));
        assertEquals("invalid argument", e.getMessage());
        assertEquals(List.of(), loop.getHandles());
        loop.run();
    }

    /** pyuv-spec §4.13: family is the socket's (getsockname's ss_family), accepted sockets included. */
    @Test
    void acceptedHandlesReportTheirFamily() {
        watchdog();
        List<StandardProtocolFamily> families = new ArrayList<>();
        for (String host : List.of(HOST, "::1")) {
            pair(host, (c, conn) -> {
                families.add(c.getFamily());
                families.add(conn.getFamily());
                c.close();
                conn.close();
            });
            loop.run();
        }
        assertEquals(List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET,
                StandardProtocolFamily.INET6, StandardProtocolFamily.INET6), families);
    }
}
