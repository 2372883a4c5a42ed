package org.pyuv4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class InetAddressesTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static void assertInvalid(String host) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> InetAddresses.parse(host), host);
        assertEquals("invalid IP address", e.getMessage());
    }

    // ---- IPv4 and the special hosts ----

    @Test
    void emptyHostIsAny() {
        assertArrayEquals(bytes(0, 0, 0, 0), InetAddresses.parse(""));
    }

    @Test
    void broadcastHost() {
        assertArrayEquals(bytes(255, 255, 255, 255), InetAddresses.parse("<broadcast>"));
    }

    @Test
    void validIPv4() {
        assertArrayEquals(bytes(127, 0, 0, 1), InetAddresses.parse("127.0.0.1"));
        assertArrayEquals(bytes(0, 0, 0, 0), InetAddresses.parse("0.0.0.0"));
        assertArrayEquals(bytes(255, 255, 255, 255), InetAddresses.parse("255.255.255.255"));
        assertArrayEquals(bytes(10, 20, 0, 199), InetAddresses.parse("10.20.0.199"));
        assertArrayEquals(bytes(1, 0, 0, 0), InetAddresses.parse("1.0.0.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.2.3", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04", "00.1.1.1", "1.2.3.00",
        "1.2.3.4.5", " 1.2.3.4", "1.2.3.4 ", "1.2 .3.4", "localhost", "example.com", "127.1",
        "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", "0x1.2.3.4", "1.2.3.-4", "+1.2.3.4",
        "1.2.3.4%lo", "1.2.3.4\0", "\u0661.2.3.4", "1000.2.3.4", "<BROADCAST>", "<broadcast> ",
        ".", "...", "1,2,3,4"
    })
    void invalidIPv4(String host) {
        assertInvalid(host);
    }

    @Test
    void nullHost() {
        assertThrows(NullPointerException.class, () -> InetAddresses.parse(null));
    }

    @Test
    void parseReturnsFreshArrays() {
        byte[] a = InetAddresses.parse("");
        a[0] = 9;
        assertArrayEquals(bytes(0, 0, 0, 0), InetAddresses.parse(""));
    }

    // ---- IPv6 ----

    @Test
    void unspecifiedAndLoopback() {
        assertArrayEquals(new byte[16], InetAddresses.parse("::"));
        byte[] loop = new byte[16];
        loop[15] = 1;
        assertArrayEquals(loop, InetAddresses.parse("::1"));
    }

    @Test
    void zoneSuffixIsDropped() {
        byte[] expected = bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertArrayEquals(expected, InetAddresses.parse("fe80::1%lo"));
        assertArrayEquals(expected, InetAddresses.parse("fe80::1%eth0"));
        assertArrayEquals(expected, InetAddresses.parse("fe80::1%"));
        assertArrayEquals(expected, InetAddresses.parse("fe80::1%2"));
        assertArrayEquals(expected, InetAddresses.parse("fe80::1%%"));
        assertArrayEquals(new byte[16], InetAddresses.parse("::%lo"));
    }

    @Test
    void mappedIPv4StaysSixteenBytes() {
        byte[] b = InetAddresses.parse("::ffff:127.0.0.1");
        assertEquals(16, b.length);
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1), b);
    }

    @Test
    void fullFormAndUppercase() {
        assertArrayEquals(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0xab, 0xcd),
                InetAddresses.parse("2001:DB8:1:2:3:4:5:ABcd"));
        assertArrayEquals(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8),
                InetAddresses.parse("1:2:3:4:5:6:7:8"));
        assertArrayEquals(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0),
                InetAddresses.parse("1:2:3:4:5:6:7::"));
        assertArrayEquals(bytes(0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8),
                InetAddresses.parse("::2:3:4:5:6:7:8"));
    }

    @Test
    void embeddedIPv4Tail() {
        assertArrayEquals(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4),
                InetAddresses.parse("1:2:3:4:5:6:1.2.3.4"));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1),
                InetAddresses.parse("::10.0.0.1"));
        assertArrayEquals(bytes(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 33),
                InetAddresses.parse("64:ff9b::192.0.2.33"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ":::", "1:2:3:4:5:6:7:8:9", "12345::", "::12345", "00001::", "1::2::3", "::1::", ":",
        ":1", ":1::", "1:", "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7:8::",
        "1:2:3:4:5:6:7", "g::", "::g", "[::1]", "::1 ", " ::1", "%lo", "%", ":%lo", "1%lo",
        "::1.2.3", "::256.1.1.1", "::01.2.3.4", "::1.2.3.4:5", "::1.2.3.4.5",
        "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3.4 %lo", "1.2.3.4::", "::1a.2.3.4", "::-1",
        "1::2::3%lo", "\uff11::"
    })
    void invalidIPv6(String host) {
        assertInvalid(host);
    }

    @Test
    void zoneOnlyCutsAtFirstPercent() {
        // Everything after the first '%' is ignored, whatever it is.
        assertArrayEquals(InetAddresses.parse("::1"), InetAddresses.parse("::1%x%y::z"));
    }

    // ---- format ----

    @ParameterizedTest
    @CsvSource({
        "::,                                   ::",
        "0:0:0:0:0:0:0:0,                      ::",
        "::1,                                  ::1",
        "0:0:0:0:0:0:0:1,                      ::1",
        "::2,                                  ::2",
        "1::,                                  1::",
        "fe80::1%lo,                           fe80::1",
        "FE80::ABCD,                           fe80::abcd",
        "::ffff:127.0.0.1,                     ::ffff:127.0.0.1",
        "::FFFF:7F00:1,                        ::ffff:127.0.0.1",
        "::ffff:0:0,                           ::ffff:0.0.0.0",
        "::1.2.3.4,                            ::1.2.3.4",
        "::1:0,                                ::0.1.0.0",
        "::1:0:0,                              ::1:0:0",
        "::ffff:1:0:0,                         ::ffff:1:0:0",
        "1::ffff:1.2.3.4,                      1::ffff:102:304",
        "64:ff9b::192.0.2.33,                  64:ff9b::c000:221",
        "2001:db8::1:0:0:1,                    2001:db8::1:0:0:1",
        "2001:db8:0:0:1:0:0:1,                 2001:db8::1:0:0:1",
        "1:0:0:2::3,                           1:0:0:2::3",
        "1:0:0:2:0:0:0:3,                      1:0:0:2::3",
        "1:0:0:0:2:0:0:3,                      1::2:0:0:3",
        "1:0:2:0:3:0:4:0,                      1:0:2:0:3:0:4:0",
        "0:1:0:1:0:1:0:1,                      0:1:0:1:0:1:0:1",
        "1:2:3:4:5:6:7:8,                      1:2:3:4:5:6:7:8",
        "0001:0020:0300:4000::,                1:20:300:4000::",
        "1:2:3:4:5:6:1.2.3.4,                  1:2:3:4:5:6:102:304",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "127.0.0.1,                            127.0.0.1",
        "0.0.0.0,                              0.0.0.0",
        "'',                                   0.0.0.0",
        "<broadcast>,                          255.255.255.255",
        "10.200.3.255,                         10.200.3.255"
    })
    void formatIsCanonical(String in, String expected) {
        assertEquals(expected, InetAddresses.format(InetAddresses.parse(in)));
    }

    @Test
    void formatRejectsBadLength() {
        assertThrows(IllegalArgumentException.class, () -> InetAddresses.format(new byte[5]));
        assertThrows(NullPointerException.class, () -> InetAddresses.format(null));
    }

    // ---- conversions ----

    @Test
    void toInetAddressV4() throws Exception {
        InetAddress a = InetAddresses.toInetAddress(bytes(192, 168, 1, 2), 9);
        Inet4Address v4 = assertInstanceOf(Inet4Address.class, a);
        assertArrayEquals(bytes(192, 168, 1, 2), v4.getAddress());
        assertEquals("192.168.1.2", v4.getHostAddress());
    }

    @Test
    void toInetAddressMappedStaysInet6() {
        byte[] mapped = InetAddresses.parse("::ffff:127.0.0.1");
        InetAddress a = InetAddresses.toInetAddress(mapped, 0);
        Inet6Address v6 = assertInstanceOf(Inet6Address.class, a);
        assertArrayEquals(mapped, v6.getAddress());
        assertEquals(0, v6.getScopeId());
        assertEquals("0:0:0:0:0:ffff:7f00:1", v6.getHostAddress());
    }

    @Test
    void toInetAddressScope() {
        Inet6Address v6 = assertInstanceOf(Inet6Address.class,
                InetAddresses.toInetAddress(InetAddresses.parse("fe80::1"), 3));
        assertEquals(3, v6.getScopeId());
        assertEquals("fe80:0:0:0:0:0:0:1%3", v6.getHostAddress());
    }

    @Test
    void toInetAddressBadLength() {
        assertThrows(IllegalArgumentException.class, () -> InetAddresses.toInetAddress(new byte[3], 0));
    }

    @Test
    void toBytesAndMapped() {
        assertArrayEquals(bytes(8, 8, 4, 4),
                InetAddresses.toBytes(InetAddresses.toInetAddress(bytes(8, 8, 4, 4), 0)));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 4, 4),
                InetAddresses.toMappedV6(bytes(8, 8, 4, 4)));
        assertEquals("::ffff:8.8.4.4", InetAddresses.format(InetAddresses.toMappedV6(bytes(8, 8, 4, 4))));
        assertThrows(IllegalArgumentException.class, () -> InetAddresses.toMappedV6(new byte[16]));
    }

    @Test
    void noNameIsAttached() {
        // Built from bytes with a null host: no forward or reverse lookup is implied.
        InetAddress a = InetAddresses.toInetAddress(bytes(127, 0, 0, 1), 0);
        assertEquals("/127.0.0.1", a.toString());
        InetAddress b = InetAddresses.toInetAddress(InetAddresses.parse("::1"), 0);
        assertEquals("/0:0:0:0:0:0:0:1", b.toString());
    }
}
