package org.pyuv4j.internal.nio;

import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * getsockname(2) of a JDK socket whose connect is in progress. The kernel binds an unbound socket to
 * its ephemeral port inside connect(2), and libuv's {@code getsockname} shows it at once; the JDK learns
 * the local address only when the connect completes. So it is read from the socket itself: its
 * descriptor (the JDK's private {@code fdVal}, read through Netty's Unsafe access), the socket's inode
 * ({@code /proc/self/fd}), and the kernel's socket table ({@code /proc/self/net/tcp} and {@code tcp6}).
 * Linux only; elsewhere, or if any step is refused, the caller keeps what the JDK says.
 */
final class ConnectingName {
    private static final long FD_OFFSET = fdOffset();

    private ConnectingName() {
    }

    private static long fdOffset() {
        try {
            if (!PlatformDependent.hasUnsafe() || !Files.isDirectory(Path.of("/proc/self/net"))) {
                return -1;
            }
            Field f = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredField("fdVal");
            return f.getType() == int.class ? PlatformDependent.objectFieldOffset(f) : -1;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /**
     * @param ch a JDK socket channel (connecting)
     * @return its local address as the kernel has it, or null when it cannot be read
     */
    static InetSocketAddress of(SocketChannel ch) {
        if (FD_OFFSET < 0 || !ch.getClass().getName().equals("sun.nio.ch.SocketChannelImpl")) {
            return null;
        }
        try {
            int fd = PlatformDependent.getInt(ch, FD_OFFSET);
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (!link.startsWith("socket:[")) {
                return null;
            }
            String inode = link.substring("socket:[".length(), link.length() - 1);
            InetSocketAddress a = find(Path.of("/proc/self/net/tcp"), inode);
            return a != null ? a : find(Path.of("/proc/self/net/tcp6"), inode);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Scans one socket table for the inode; @return its local address, or null. */
    private static InetSocketAddress find(Path table, String inode) throws IOException {
        if (!Files.exists(table)) {
            return null;
        }
        try (BufferedReader r = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
            r.readLine(); // header
            String line;
            while ((line = r.readLine()) != null) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[9].equals(inode)) {
                    return parse(f[1]);
                }
            }
        }
        return null;
    }

    /** "0100007F:1F90" or 32 hex digits and a port: the address words are in the kernel's byte order. */
    static InetSocketAddress parse(String local) throws UnknownHostException {
        int colon = local.indexOf(':');
        String hex = local.substring(0, colon);
        int port = Integer.parseInt(local.substring(colon + 1), 16);
        byte[] addr = new byte[hex.length() / 2];
        for (int word = 0; word < addr.length / 4; word++) {
            long v = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                // each 32-bit word was printed as a host-order integer (little-endian here)
                addr[word * 4 + b] = (byte) (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                        ? v >>> (8 * b) : v >>> (8 * (3 - b)));
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }
}
