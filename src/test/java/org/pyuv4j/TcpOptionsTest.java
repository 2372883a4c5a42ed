package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.9-§4.12: socket options, read back from the socket: TCP_NODELAY (off by default,
 * stored until the socket exists), keepalive (its delay range, only KEEPIDLE set) and the send and
 * receive buffer sizes (libuv's test-tcp-flags.c and test-socket-buffer-size.c). Also pyuv's
 * {@code TCPFlagsTest}. In {@code org.pyuv4j}, not {@code org.pyuv4j.tcp}: it reads the options through
 * the handle's package-private channel.
 */
@Timeout(30)
class TcpOptionsTest extends TcpTestCase {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    // =========================================================================== TCPFlagsTest

    @Test
    void test_tcp_flags() {
        TCP tcp = new TCP(loop);
        tcp.nodelay(true);
        tcp.keepalive(true, 60);
        tcp.simultaneousAccepts(true);
        tcp.close();
        loop.run();
    }

    // ---- socket options, read back from the socket -------------------------------------------

    private static boolean noDelay(TCP h) {
        return h.channel.config().getOption(ChannelOption.TCP_NODELAY);
    }

    private static boolean keepAlive(TCP h) {
        return h.channel.config().getOption(ChannelOption.SO_KEEPALIVE);
    }

    /** A TCP-level int option: Linux option number on native transports, the JDK option on NIO. */
    private int tcpOption(TCP h, int linuxOption, SocketOption<Integer> jdkOption) {
        if (nativeTransport()) {
            try {
                return TcpSupport.view(h.fileno()).getIntOpt(6 /* IPPROTO_TCP */, linuxOption);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return h.channel.config().getOption(NioChannelOption.of(jdkOption));
    }

    private int keepIdle(TCP h) {
        return tcpOption(h, 4, ExtendedSocketOptions.TCP_KEEPIDLE);
    }

    private int keepInterval(TCP h) {
        return tcpOption(h, 5, ExtendedSocketOptions.TCP_KEEPINTERVAL);
    }

    private int keepCount(TCP h) {
        return tcpOption(h, 6, ExtendedSocketOptions.TCP_KEEPCOUNT);
    }

    // ============================================================ §4.9-§4.12 options

    /** pyuv-spec §4.9 (verified): TCP_NODELAY is off by default (Netty turns it on; libuv does not). */
    @Test
    void nodelayIsOffByDefault() {
        watchdog();
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        assertFalse(noDelay(bound), "bound");
        TCP early = new TCP(loop, StandardProtocolFamily.INET);
        assertFalse(noDelay(early), "TCP(loop, INET)");
        bound.close();
        early.close();
        pair((c, conn) -> {
            assertFalse(noDelay(c), "connected");
            assertFalse(noDelay(conn), "accepted");
            c.nodelay(true);
            assertTrue(noDelay(c));
            c.nodelay(false);
            assertFalse(noDelay(c));
            ev("checked");
            c.close();
            conn.close();
        });
        loop.run();
        assertEquals(List.of("checked"), events);
    }

    /** pyuv-spec §4.9: nodelay before the socket exists is stored and applied by bind, connect and accept. */
    @Test
    void nodelayIsStoredUntilTheSocketExists() {
        watchdog();
        TCP bound = new TCP(loop);
        bound.nodelay(true);
        bound.bind(HOST, 0);
        assertTrue(noDelay(bound), "applied at bind");
        bound.close();
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            conn.nodelay(true);
            s.accept(conn);
            assertTrue(noDelay(conn), "applied at accept");
            ev("accepted");
            conn.close();
            s.close();
        });
        TCP c = new TCP(loop);
        c.nodelay(true);
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            assertTrue(noDelay(h), "applied at connect");
            ev("connected");
            h.close();
        });
        loop.run();
        assertTrue(events.containsAll(List.of("accepted", "connected")), events::toString);
    }

    /** Allowed difference (API.md): keepalive before the socket exists applies the delay given (libuv 1.13: 60 s). */
    @Test
    void keepaliveIsStoredUntilTheSocketExists() {
        assumeTrue(LINUX, "Linux socket options");
        TCP none = new TCP(loop);
        none.keepalive(true, 0); // no socket: no range check (pyuv-spec §4.10, verified)
        none.close();
        TCP t = new TCP(loop);
        t.keepalive(true, 30);
        t.bind(HOST, 0);
        assertTrue(keepAlive(t));
        assertEquals(30, keepIdle(t));
        t.close();
        loop.run();
    }

    /** pyuv-spec §4.10 (verified): on a socket the delay must be 1..32767; only KEEPIDLE is set. */
    @Test
    void keepaliveOnASocket() {
        assumeTrue(LINUX, "Linux socket options");
        TCP reference = new TCP(loop, StandardProtocolFamily.INET);
        TCP s = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_EINVAL, () -> s.keepalive(true, 0));
        assertEquals("invalid argument", e.getMessage());
        assertTcpError(Errno.UV_EINVAL, () -> s.keepalive(true, 40000));
        s.keepalive(false, 0);
        assertFalse(keepAlive(s));
        s.keepalive(true, 45);
        assertTrue(keepAlive(s));
        assertEquals(45, keepIdle(s));
        assertEquals(keepInterval(reference), keepInterval(s), "KEEPINTVL keeps the kernel default");
        assertEquals(keepCount(reference), keepCount(s), "KEEPCNT keeps the kernel default");
        s.keepalive(true, 32767);
        assertEquals(32767, keepIdle(s));
        s.keepalive(false, 0);
        assertFalse(keepAlive(s));
        reference.close();
        s.close();
        loop.run();
    }

    /** pyuv-spec §4.12 (verified on Linux): the kernel doubles the size; 0 is a no-op; no socket is EBADF. */
    @Test
    void socketBufferSizes() {
        assumeTrue(LINUX, "Linux doubles SO_SNDBUF/SO_RCVBUF");
        TCP s = new TCP(loop, StandardProtocolFamily.INET);
        s.setSendBufferSize(65536);
        assertEquals(131072, s.getSendBufferSize());
        s.setReceiveBufferSize(65536);
        assertEquals(131072, s.getReceiveBufferSize());
        s.setSendBufferSize(0);
        assertEquals(131072, s.getSendBufferSize(), "0 is a no-op");
        s.setReceiveBufferSize(0);
        assertEquals(131072, s.getReceiveBufferSize(), "0 is a no-op");
        TCP none = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EBADF, none::getSendBufferSize);
        assertEquals("bad file descriptor", e.getMessage());
        assertTcpError(Errno.UV_EBADF, none::getReceiveBufferSize);
        assertTcpError(Errno.UV_EBADF, () -> none.setSendBufferSize(65536));
        assertTcpError(Errno.UV_EBADF, () -> none.setReceiveBufferSize(65536));
        assertTcpError(Errno.UV_EBADF, () -> none.setSendBufferSize(0));
        s.close();
        none.close();
        loop.run();
    }
}
