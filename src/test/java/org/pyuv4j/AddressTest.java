package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class AddressTest {

    private static final byte[] LOOPBACK4 = {127, 0, 0, 1};
    private static final byte[] FE80_1 = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private static void assertIae(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(message, e.getMessage());
    }

    // ---- construction and validation ----

    @Test
    void ofKeepsHostAsGiven() {
        Address a = Address.of("", 80);
        assertEquals("", a.host());
        assertEquals(80, a.port());
        assertEquals(0, a.flowinfo());
        assertEquals(0, a.scopeId());
        assertFalse(a.isIPv6());

        Address b = Address.of("FE80::1%lo", 1, 2, 3);
        assertEquals("FE80::1%lo", b.host());
        assertEquals(1, b.port());
        assertEquals(2, b.flowinfo());
        assertEquals(3, b.scopeId());
        assertTrue(b.isIPv6());
    }

    @Test
    void nullHost() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Address.of(null, 1));
        assertEquals("host", e.getMessage());
        assertThrows(NullPointerException.class, () -> new Address(null, 1, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4.5", " 1.2.3.4",
        ":::", "1::2::3", "example.com", "[::1]", "1.2.3.4%lo"})
    void invalidHost(String host) {
        assertIae("invalid IP address", () -> Address.of(host, 80));
        assertIae("invalid IP address", () -> new Address(host, 80, 0, 0));
    }

    @Test
    void localhostIsRejectedWithoutLookup() {
        // A DNS lookup would turn this into 127.0.0.1; pyuv rejects it instead.
        long start = System.nanoTime();
        assertIae("invalid IP address", () -> Address.of("localhost", 80));
        assertIae("invalid IP address", () -> Address.of("ip6-localhost", 80));
        assertIae("invalid IP address", () -> Address.of("no-such-host.invalid", 80));
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void portRange() {
        assertEquals(0, Address.of("127.0.0.1", 0).port());
        assertEquals(65535, Address.of("127.0.0.1", 65535).port());
        assertIae("port must be 0-65535", () -> Address.of("127.0.0.1", -1));
        assertIae("port must be 0-65535", () -> Address.of("127.0.0.1", 65536));
        assertIae("port must be 0-65535", () -> Address.of("::1", Integer.MIN_VALUE));
    }

    @Test
    void flowinfoRange() {
        assertEquals(0xfffff, Address.of("::1", 1, 0xfffff, 0).flowinfo());
        assertIae("flowinfo must be 0-1048575", () -> Address.of("::1", 1, 0x100000, 0));
        assertIae("flowinfo must be 0-1048575", () -> Address.of("::1", 1, -1, 0));
        // Checked for IPv4 too, as pyuv does before looking at the host.
        assertIae("flowinfo must be 0-1048575", () -> Address.of("127.0.0.1", 1, -1, 0));
    }

    @Test
    void scopeIdIsNotChecked() {
        assertEquals(-1, Address.of("::1", 1, 0, -1).scopeId());
        assertEquals(Integer.MAX_VALUE, Address.of("127.0.0.1", 1, 0, Integer.MAX_VALUE).scopeId());
    }

    @Test
    void validationOrderFollowsPyuv() {
        // pyuv checks port, then flowinfo, then the host.
        assertIae("port must be 0-65535", () -> Address.of("localhost", -1));
        assertIae("flowinfo must be 0-1048575", () -> Address.of("localhost", 1, -1, 0));
        assertIae("port must be 0-65535", () -> Address.of("::1", 70000, -1, 0));
    }

    @Test
    void isIPv6() {
        assertTrue(Address.of("::ffff:127.0.0.1", 1).isIPv6());
        assertTrue(Address.of("::", 1).isIPv6());
        assertFalse(Address.of("127.0.0.1", 1).isIPv6());
        assertFalse(Address.of("<broadcast>", 1).isIPv6());
    }

    @Test
    void equalsIsComponentWise() {
        assertEquals(Address.of("::1", 5), new Address("::1", 5, 0, 0));
        assertEquals(Address.of("::1", 5).hashCode(), new Address("::1", 5, 0, 0).hashCode());
        assertNotEquals(Address.of("::1", 5), Address.of("::1", 5, 0, 1));
        assertNotEquals(Address.of("", 5), Address.of("0.0.0.0", 5));
    }

    // ---- toString ----

    @Test
    void toStringTupleShapes() {
        assertEquals("('127.0.0.1', 1234)", Address.of("127.0.0.1", 1234).toString());
        assertEquals("('::1', 1234, 0, 0)", Address.of("::1", 1234).toString());
        assertEquals("('fe80::1', 9, 5, 3)", Address.of("fe80::1", 9, 5, 3).toString());
        assertEquals("('', 80)", Address.of("", 80).toString());
        // flowinfo/scopeId are not shown for IPv4.
        assertEquals("('10.0.0.1', 7)", Address.of("10.0.0.1", 7, 1, 2).toString());
        // scope_id is unsigned in pyuv.
        assertEquals("('::', 0, 0, 4294967295)", Address.of("::", 0, 0, -1).toString());
    }

    // ---- toInetSocketAddress ----

    @Test
    void toInetSocketAddressV4() {
        InetSocketAddress sa = Address.of("127.0.0.1", 4000).toInetSocketAddress();
        assertFalse(sa.isUnresolved());
        assertEquals(4000, sa.getPort());
        Inet4Address ip = assertInstanceOf(Inet4Address.class, sa.getAddress());
        assertArrayEquals(LOOPBACK4, ip.getAddress());
        // No name was looked up or attached.
        assertEquals("127.0.0.1", sa.getHostString());
    }

    @Test
    void toInetSocketAddressSpecialHosts() {
        assertArrayEquals(new byte[4], Address.of("", 1).toInetSocketAddress().getAddress().getAddress());
        assertArrayEquals(new byte[] {-1, -1, -1, -1},
                Address.of("<broadcast>", 1).toInetSocketAddress().getAddress().getAddress());
    }

    @Test
    void toInetSocketAddressMappedStaysInet6() {
        InetSocketAddress sa = Address.of("::ffff:127.0.0.1", 5).toInetSocketAddress();
        Inet6Address ip = assertInstanceOf(Inet6Address.class, sa.getAddress());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1}, ip.getAddress());
        assertEquals(0, ip.getScopeId());
    }

    @Test
    void toInetSocketAddressScope() {
        Inet6Address withScope = assertInstanceOf(Inet6Address.class,
                Address.of("fe80::1", 5, 0, 7).toInetSocketAddress().getAddress());
        assertArrayEquals(FE80_1, withScope.getAddress());
        assertEquals(7, withScope.getScopeId());
        // The "%lo" zone is ignored, like libuv: scope stays 0.
        Inet6Address zone = assertInstanceOf(Inet6Address.class,
                Address.of("fe80::1%lo", 5).toInetSocketAddress().getAddress());
        assertArrayEquals(FE80_1, zone.getAddress());
        assertEquals(0, zone.getScopeId());
    }

    // ---- fromInetSocketAddress ----

    @Test
    void fromV4OnV4Socket() throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.getByAddress(LOOPBACK4), 5000);
        Address a = Address.fromInetSocketAddress(sa, false);
        assertEquals(new Address("127.0.0.1", 5000, 0, 0), a);
        assertEquals("('127.0.0.1', 5000)", a.toString());
    }

    @Test
    void fromV4OnV6SocketIsMapped() throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.getByAddress(LOOPBACK4), 5000);
        Address a = Address.fromInetSocketAddress(sa, true);
        assertEquals(new Address("::ffff:127.0.0.1", 5000, 0, 0), a);
        assertEquals("('::ffff:127.0.0.1', 5000, 0, 0)", a.toString());
        assertTrue(a.isIPv6());
    }

    @Test
    void fromMappedInet6OnV4SocketIsDottedQuad() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 1, 2, 3};
        InetSocketAddress sa = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 9);
        assertEquals(new Address("10.1.2.3", 9, 0, 0), Address.fromInetSocketAddress(sa, false));
        assertEquals(new Address("::ffff:10.1.2.3", 9, 0, 0), Address.fromInetSocketAddress(sa, true));
    }

    @Test
    void fromV6WithScope() throws Exception {
        InetSocketAddress sa = new InetSocketAddress(Inet6Address.getByAddress(null, FE80_1, 4), 80);
        assertEquals(new Address("fe80::1", 80, 0, 4), Address.fromInetSocketAddress(sa, true));
    }

    @Test
    void fromUnspecifiedV6() throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.getByAddress(new byte[16]), 0);
        Address a = Address.fromInetSocketAddress(sa, true);
        assertEquals(new Address("::", 0, 0, 0), a);
        assertEquals("('::', 0, 0, 0)", a.toString());
    }

    @Test
    void fromWildcardV4() throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0);
        assertEquals("('0.0.0.0', 0)", Address.fromInetSocketAddress(sa, false).toString());
    }

    @Test
    void fromUnresolvedOrNull() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 80);
        assertThrows(IllegalArgumentException.class, () -> Address.fromInetSocketAddress(unresolved, false));
        assertThrows(NullPointerException.class, () -> Address.fromInetSocketAddress(null, true));
    }

    @Test
    void roundTripThroughInetSocketAddress() {
        for (String host : new String[] {"::1", "::ffff:127.0.0.1", "2001:db8::1:0:0:1", "fe80::abcd"}) {
            Address a = Address.of(host, 1234);
            assertEquals(a, Address.fromInetSocketAddress(a.toInetSocketAddress(), true), host);
        }
        Address v4 = Address.of("192.168.0.1", 1);
        assertEquals(v4, Address.fromInetSocketAddress(v4.toInetSocketAddress(), false));
        // Non-canonical input text comes back canonical.
        assertEquals(Address.of("fe80::abcd", 2),
                Address.fromInetSocketAddress(Address.of("FE80:0:0::ABCD", 2).toInetSocketAddress(), true));
    }
}
