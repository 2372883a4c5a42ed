package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * pyuv-spec §4.2: the addresses bind and connect take: numeric hosts only (a host name is rejected
 * before any socket is made), {@code ''} is INADDR_ANY, port and flowinfo ranges (libuv's
 * test-ip4-addr.c and test-ip6-addr.c).
 */
@Timeout(30)
class TcpAddressTest extends TcpTestCase {
    // ============================================================ §4.2 addresses

    @Test
    void hostNamesAreRejectedBeforeAnySocketIsMade() {
        for (String host : List.of("localhost", "1.2.3", "example.com")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Address.of(host, 1));
            assertEquals("invalid IP address", e.getMessage());
            TCP t = new TCP(loop);
            e = assertThrows(IllegalArgumentException.class, () -> t.bind(host, 0));
            assertEquals("invalid IP address", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.connect(host, 80, (h, x) -> ev("connect cb")));
            assertEquals("invalid IP address", e.getMessage());
            assertTcpError(Errno.UV_EINVAL, t::getFamily); // still no socket
            assertFalse(t.isReadable());
            assertFalse(t.isWritable());
            t.close();
        }
        loop.run();
        assertEquals(List.of(), events);
    }

    @Test
    void emptyHostMeansInaddrAny() {
        assertFalse(Address.of("", 0).isIPv6());
        TCP t = new TCP(loop);
        t.bind("", 0);
        Address a = t.getsockname();
        assertEquals("0.0.0.0", a.host());
        assertTrue(a.port() > 0);
        assertEquals(StandardProtocolFamily.INET, t.getFamily());
        t.close();
        loop.run();
    }

    @Test
    void portAndFlowinfoRanges() {
        for (int port : new int[] {65536, -1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Address.of(HOST, port));
            assertEquals("port must be 0-65535", e.getMessage());
        }
        for (int flowinfo : new int[] {0x100000, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Address.of("::1", 0, flowinfo, 0));
            assertEquals("flowinfo must be 0-1048575", e.getMessage());
        }
        assertEquals(0xFFFFF, Address.of("::1", 65535, 0xFFFFF, 7).flowinfo());
        TCP t = new TCP(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.bind(HOST, 65536));
        assertEquals("port must be 0-65535", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.connect(HOST, -1, (h, x) -> ev("connect cb")));
        assertEquals("port must be 0-65535", e.getMessage());
        assertTcpError(Errno.UV_EINVAL, t::getFamily);
        t.close();
        loop.run();
        assertEquals(List.of(), events);
    }
}
