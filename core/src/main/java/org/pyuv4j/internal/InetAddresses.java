package org.pyuv4j.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Numeric IP address parsing and formatting with the exact semantics of pyuv and of
 * libuv's {@code uv_inet_pton}/{@code uv_inet_ntop}.
 *
 * <p><strong>Internal, not API:</strong> this class lives in {@code org.pyuv4j.internal}
 * and may change or disappear without notice. Users should go through
 * {@link org.pyuv4j.Address}.
 *
 * <p>Nothing in this class ever performs a DNS lookup: host strings must be numeric,
 * and {@link InetAddress} objects are built from raw bytes with a {@code null} host name.
 */
public final class InetAddresses {

    /** Length in bytes of an IPv4 address. */
    private static final int V4_LEN = 4;
    /** Length in bytes of an IPv6 address. */
    private static final int V6_LEN = 16;
    /** libuv's {@code UV__INET6_ADDRSTRLEN}: the longest IPv6 text it copies before a {@code '%'}. */
    private static final int INET6_ADDRSTRLEN = 46;

    private InetAddresses() {
    }

    /**
     * Parses a host string the way pyuv's {@code pyuv_parse_addr_tuple} does; never uses DNS.
     *
     * <ul>
     *   <li>{@code ""} is {@code 0.0.0.0} (INADDR_ANY);</li>
     *   <li>{@code "<broadcast>"} is {@code 255.255.255.255};</li>
     *   <li>otherwise the string is tried as strict dotted-quad IPv4 (libuv's {@code inet_pton4}:
     *       exactly four decimal octets 0-255, no leading zeros), then as IPv6 (libuv's
     *       {@code inet_pton6}); for IPv6 a {@code "%zone"} suffix is ignored and its scope is
     *       <em>not</em> used.</li>
     * </ul>
     *
     * @param host the numeric host text
     * @return 4 bytes for an IPv4 address, 16 bytes for an IPv6 address (including IPv4-mapped
     *         ones such as {@code "::ffff:127.0.0.1"}); a fresh array each call
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException with message {@code "invalid IP address"} for anything else
     */
    public static byte[] parse(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            return new byte[V4_LEN];
        }
        if (host.equals("<broadcast>")) {
            return new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        }
        byte[] v4 = new byte[V4_LEN];
        if (parseV4(host, 0, host.length(), v4, 0)) {
            return v4;
        }
        String v6text = host;
        int percent = host.indexOf('%');
        if (percent >= 0) {
            if (percent > INET6_ADDRSTRLEN - 1) {
                throw invalid();
            }
            v6text = host.substring(0, percent);
        }
        byte[] v6 = parseV6(v6text);
        if (v6 == null) {
            throw invalid();
        }
        return v6;
    }

    /**
     * Formats a raw address as libuv's {@code uv_inet_ntop} does.
     *
     * <p>IPv4 is {@code "a.b.c.d"}. IPv6 uses lowercase hex without leading zeros, compresses the
     * longest run (first on ties) of two or more zero 16-bit words to {@code "::"}, and writes the
     * last 32 bits as dotted quad for the IPv4-compatible ({@code ::a.b.c.d}, first six words zero
     * and the seventh not) and IPv4-mapped ({@code ::ffff:a.b.c.d}) forms.
     *
     * @param addr 4 or 16 bytes
     * @return the canonical text
     * @throws NullPointerException if {@code addr} is null
     * @throws IllegalArgumentException if {@code addr} is not 4 or 16 bytes long
     */
    public static String format(byte[] addr) {
        Objects.requireNonNull(addr, "addr");
        if (addr.length == V4_LEN) {
            return formatV4(addr, 0);
        }
        if (addr.length == V6_LEN) {
            return formatV6(addr);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, not " + addr.length);
    }

    /**
     * Builds an {@link InetAddress} from raw bytes without any name lookup.
     *
     * <p>16 bytes always give an {@link Inet6Address}, even for IPv4-mapped addresses (which
     * {@link InetAddress#getByAddress(byte[])} would turn into an {@link Inet4Address}).
     * A {@code scopeId} of zero or less yields an address with no scope set (Java cannot
     * represent scope ids of 2<sup>31</sup> and above, which arrive here as negative ints).
     *
     * @param addr 4 or 16 bytes
     * @param scopeId the IPv6 scope id; ignored for IPv4
     * @return an {@link Inet4Address} or {@link Inet6Address}
     * @throws NullPointerException if {@code addr} is null
     * @throws IllegalArgumentException if {@code addr} is not 4 or 16 bytes long
     */
    public static InetAddress toInetAddress(byte[] addr, int scopeId) {
        Objects.requireNonNull(addr, "addr");
        try {
            if (addr.length == V4_LEN) {
                return InetAddress.getByAddress(null, addr);
            }
            if (addr.length == V6_LEN) {
                return Inet6Address.getByAddress(null, addr, scopeId > 0 ? scopeId : -1);
            }
        } catch (UnknownHostException e) {
            // Only thrown for an illegal length, which was checked above.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, not " + addr.length);
    }

    /**
     * Returns the raw bytes of an address: 4 for {@link Inet4Address}, 16 for {@link Inet6Address}.
     *
     * @param a the address
     * @return a fresh copy of its bytes
     * @throws NullPointerException if {@code a} is null
     */
    public static byte[] toBytes(InetAddress a) {
        Objects.requireNonNull(a, "address");
        return a.getAddress();
    }

    /**
     * Whether {@code a} is an IPv4 address: an {@link Inet4Address}, or {@code ::ffff:a.b.c.d} in
     * whichever class the JDK made of it.
     *
     * @param a the address
     * @return true for IPv4 and IPv4-mapped addresses
     */
    public static boolean isV4Mapped(InetAddress a) {
        if (a instanceof Inet4Address) {
            return true;
        }
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * Builds the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}.
     *
     * @param v4 4 bytes
     * @return 16 bytes
     * @throws NullPointerException if {@code v4} is null
     * @throws IllegalArgumentException if {@code v4} is not 4 bytes long
     */
    public static byte[] toMappedV6(byte[] v4) {
        Objects.requireNonNull(v4, "v4");
        if (v4.length != V4_LEN) {
            throw new IllegalArgumentException("IPv4 address must be 4 bytes, not " + v4.length);
        }
        byte[] v6 = new byte[V6_LEN];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, V4_LEN);
        return v6;
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("invalid IP address");
    }

    /**
     * Strict dotted-quad parse of {@code s[from, to)} into {@code dst[off .. off+4)}.
     * Only writes {@code dst} on success.
     */
    private static boolean parseV4(String s, int from, int to, byte[] dst, int off) {
        int[] octets = new int[V4_LEN];
        int count = 0;       // octets started so far
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (!sawDigit) {
                    if (count == V4_LEN) {
                        return false;
                    }
                    count++;
                    sawDigit = true;
                } else if (octets[count - 1] == 0) {
                    return false; // a leading zero followed by more digits, e.g. "01"
                }
                int value = octets[count - 1] * 10 + (ch - '0');
                if (value > 255) {
                    return false;
                }
                octets[count - 1] = value;
            } else if (ch == '.' && sawDigit && count < V4_LEN) {
                sawDigit = false;
            } else {
                return false;
            }
        }
        if (count < V4_LEN || !sawDigit) {
            return false;
        }
        for (int i = 0; i < V4_LEN; i++) {
            dst[off + i] = (byte) octets[i];
        }
        return true;
    }

    /** libuv/ISC {@code inet_pton6}; returns null when {@code s} is not a valid IPv6 text. */
    private static byte[] parseV6(String s) {
        byte[] out = new byte[V6_LEN];
        int len = s.length();
        int pos = 0;
        if (len > 0 && s.charAt(0) == ':') {
            // A leading colon is only allowed as the start of "::".
            if (len < 2 || s.charAt(1) != ':') {
                return null;
            }
            pos = 1;
        }
        int filled = 0;          // bytes written to out so far
        int gapAt = -1;          // byte index where "::" occurred
        int groupStart = pos;    // start of the current group, for an IPv4 tail
        int digits = 0;
        int value = 0;
        while (pos < len) {
            char ch = s.charAt(pos++);
            int hex = Character.digit(ch, 16);
            if (hex >= 0 && ch < 0x80) {
                if (++digits > 4) {
                    return null;
                }
                value = (value << 4) | hex;
                continue;
            }
            if (ch == ':') {
                groupStart = pos;
                if (digits == 0) {
                    if (gapAt >= 0) {
                        return null; // second "::", or ":::"
                    }
                    gapAt = filled;
                    continue;
                }
                if (pos == len) {
                    return null; // trailing single ':'
                }
                if (filled + 2 > V6_LEN) {
                    return null;
                }
                out[filled++] = (byte) (value >> 8);
                out[filled++] = (byte) value;
                digits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && filled + V4_LEN <= V6_LEN
                    && parseV4(s, groupStart, len, out, filled)) {
                filled += V4_LEN;
                digits = 0;
                break; // the IPv4 tail consumed the rest of the string
            }
            return null;
        }
        if (digits > 0) {
            if (filled + 2 > V6_LEN) {
                return null;
            }
            out[filled++] = (byte) (value >> 8);
            out[filled++] = (byte) value;
        }
        if (gapAt >= 0) {
            if (filled == V6_LEN) {
                return null; // "::" must stand for at least one zero group
            }
            int tail = filled - gapAt;
            System.arraycopy(out, gapAt, out, V6_LEN - tail, tail);
            Arrays.fill(out, gapAt, V6_LEN - tail, (byte) 0);
            filled = V6_LEN;
        }
        return filled == V6_LEN ? out : null;
    }

    private static String formatV4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "."
                + (a[off + 3] & 0xff);
    }

    private static String formatV6(byte[] a) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // Longest run of zero words; the first one wins ties; runs of length 1 are not compressed.
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        for (int i = 0; i <= 8; i++) {
            if (i < 8 && words[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                }
            } else if (curBase >= 0) {
                int curLen = i - curBase;
                if (curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (bestLen < 2) {
            bestBase = -1;
            bestLen = 0;
        }
        // ISC/libuv embed a dotted-quad tail for "::a.b.c.d" and "::ffff:a.b.c.d".
        boolean v4Tail = bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff));

        StringBuilder sb = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && v4Tail) {
                sb.append(formatV4(a, 12));
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }
}
