package org.pyuv4j;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import org.pyuv4j.internal.InetAddresses;

/**
 * A socket address: the Java form of pyuv's address tuple
 * {@code (host, port[, flowinfo, scope_id])}.
 *
 * <p>The host must be a <em>numeric</em> IP address; no DNS lookup is ever made. It is parsed
 * exactly as pyuv does:
 * <ul>
 *   <li>{@code ""} means {@code 0.0.0.0} (INADDR_ANY, IPv4);</li>
 *   <li>{@code "<broadcast>"} means {@code 255.255.255.255};</li>
 *   <li>otherwise a strict dotted-quad IPv4 address ({@code "127.0.0.1"}; not {@code "1.2.3"},
 *       not {@code "01.2.3.4"}), or else an IPv6 address ({@code "::1"},
 *       {@code "::ffff:127.0.0.1"}, which stays IPv6). A {@code "%zone"} suffix on an IPv6 host
 *       is accepted but ignored, like libuv does: use {@link #scopeId()} to choose the
 *       interface.</li>
 * </ul>
 * Anything else, including host names such as {@code "localhost"}, is rejected with
 * {@code IllegalArgumentException("invalid IP address")}.
 *
 * <p>The host string is kept exactly as given ({@code Address.of("", 80).host()} is {@code ""});
 * addresses returned by the library (for example by {@code getsockname()} and
 * {@code getpeername()}) always carry the canonical {@code inet_ntop} text, such as
 * {@code "::1"} or {@code "::ffff:127.0.0.1"}, and have {@code flowinfo == scopeId == 0} for
 * IPv4. {@code flowinfo} and {@code scopeId} are ignored for IPv4 addresses.
 *
 * <p>{@link #equals(Object)} and {@link #hashCode()} compare the four components, so
 * {@code Address.of("", 80)} and {@code Address.of("0.0.0.0", 80)} are not equal.
 *
 * @param host     numeric IPv4 or IPv6 host text, {@code ""} or {@code "<broadcast>"}; never null
 * @param port     the port, 0-65535
 * @param flowinfo the IPv6 flow information, 0-1048575 (0xFFFFF)
 * @param scopeId  the IPv6 scope id (interface index); not range-checked
 */
public record Address(String host, int port, int flowinfo, int scopeId) {

    /**
     * Validates the components, in pyuv's order: port, then flowinfo, then host.
     *
     * @param host     a numeric IPv4 or IPv6 address, {@code ""} for 0.0.0.0
     * @param port     0-65535
     * @param flowinfo the IPv6 flow information, 0-1048575
     * @param scopeId  the IPv6 scope id
     * @throws NullPointerException     if {@code host} is null
     * @throws IllegalArgumentException {@code "port must be 0-65535"},
     *                                  {@code "flowinfo must be 0-1048575"} or
     *                                  {@code "invalid IP address"}
     */
    public Address {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (flowinfo < 0 || flowinfo > 0xfffff) {
            throw new IllegalArgumentException("flowinfo must be 0-1048575");
        }
        InetAddresses.parse(host);
    }

    /**
     * Creates an address with {@code flowinfo} and {@code scopeId} 0, like the tuple
     * {@code (host, port)}.
     *
     * @param host numeric host text, {@code ""} or {@code "<broadcast>"}
     * @param port 0-65535
     * @return the address
     * @throws NullPointerException     if {@code host} is null
     * @throws IllegalArgumentException if the port or host is invalid
     */
    public static Address of(String host, int port) {
        return new Address(host, port, 0, 0);
    }

    /**
     * Creates an address like the tuple {@code (host, port, flowinfo, scope_id)}.
     *
     * @param host     numeric host text, {@code ""} or {@code "<broadcast>"}
     * @param port     0-65535
     * @param flowinfo 0-1048575
     * @param scopeId  the IPv6 scope id
     * @return the address
     * @throws NullPointerException     if {@code host} is null
     * @throws IllegalArgumentException if the port, flowinfo or host is invalid
     */
    public static Address of(String host, int port, int flowinfo, int scopeId) {
        return new Address(host, port, flowinfo, scopeId);
    }

    /**
     * Tells whether the host is an IPv6 address (16 bytes), including IPv4-mapped ones
     * such as {@code "::ffff:127.0.0.1"}.
     *
     * @return true for IPv6, false for IPv4 (including {@code ""} and {@code "<broadcast>"})
     */
    public boolean isIPv6() {
        return InetAddresses.parse(host).length == 16;
    }

    /**
     * Converts to a resolved {@link InetSocketAddress} without any DNS lookup. An IPv6 host
     * always gives an {@link Inet6Address} (also when IPv4-mapped) carrying {@link #scopeId()};
     * {@code flowinfo} has no Java equivalent and is dropped.
     *
     * @return a resolved socket address
     */
    public InetSocketAddress toInetSocketAddress() {
        InetAddress ip = InetAddresses.toInetAddress(InetAddresses.parse(host), scopeId);
        return new InetSocketAddress(ip, port);
    }

    /**
     * Builds the address a socket reports, the way pyuv's {@code getsockname()} and
     * {@code getpeername()} do.
     *
     * <p>For an IPv4 socket the result is {@code (dotted-quad, port, 0, 0)}. For an IPv6 socket
     * the host is the canonical IPv6 text of the 16-byte address (an {@link Inet4Address}, which
     * the JDK and Netty report for IPv4-mapped peers, becomes {@code "::ffff:a.b.c.d"}), flowinfo
     * is 0 and scopeId is {@link Inet6Address#getScopeId()}. An IPv4-mapped {@link Inet6Address}
     * seen on an IPv4 socket is reported as its dotted quad; any other {@link Inet6Address} is
     * reported in IPv6 form regardless of {@code ipv6Socket}.
     *
     * @param sa         a resolved socket address
     * @param ipv6Socket whether the socket is AF_INET6
     * @return the canonical address
     * @throws NullPointerException     if {@code sa} is null
     * @throws IllegalArgumentException if {@code sa} is unresolved
     */
    public static Address fromInetSocketAddress(InetSocketAddress sa, boolean ipv6Socket) {
        Objects.requireNonNull(sa, "sa");
        InetAddress ip = sa.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + sa.getHostString());
        }
        byte[] bytes = InetAddresses.toBytes(ip);
        int scopeId = ip instanceof Inet6Address v6 ? v6.getScopeId() : 0;
        if (!ipv6Socket && bytes.length == 16 && isMapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (ipv6Socket && bytes.length == 4) {
            bytes = InetAddresses.toMappedV6(bytes);
        }
        if (bytes.length == 4) {
            return new Address(InetAddresses.format(bytes), sa.getPort(), 0, 0);
        }
        return new Address(InetAddresses.format(bytes), sa.getPort(), 0, scopeId);
    }

    private static boolean isMapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    /**
     * Returns the pyuv tuple form: {@code ('127.0.0.1', 1234)} for IPv4 and
     * {@code ('::1', 1234, 0, 0)} for IPv6.
     *
     * @return the tuple text
     */
    @Override
    public String toString() {
        if (isIPv6()) {
            return "('" + host + "', " + port + ", " + flowinfo + ", "
                    + Integer.toUnsignedString(scopeId) + ")";
        }
        return "('" + host + "', " + port + ")";
    }
}
