package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.7 / §3.6: open(fd) and fileno(): ENOTSUP on NIO (allowed difference), EBADF for an
 * invalid descriptor, EBUSY on a handle with another socket, the flags and names of an opened socket
 * (libuv's test-tcp-open.c). Also pyuv's {@code TCPErrorTest.test_open}, {@code TCPTestFileno} and
 * {@code TCPSocketFromfdTest}. TcpOpenTest opens real listening, connected and unconnected sockets.
 */
@Timeout(30)
class TcpOpenFilenoTest extends TcpTestCase {
    // ---- pyuv's TCPErrorTest.test_open

    @Test
    void test_open() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        if (nativeTransport()) {
            int fd = TcpSupport.newInetSocketFd(); // socket.socket(AF_INET, SOCK_STREAM).fileno()
            try {
                c.open(fd);
            } catch (RuntimeException e) {
                TcpSupport.closeFd(fd);
                throw e;
            }
        } else {
            // NIO cannot wrap a descriptor: an allowed difference (API.md).
            assertTcpError(Errno.UV_ENOTSUP, () -> c.open(1_000_000));
        }
        c.connect(HOST, port, this::onClientConnectError);
        loop.run();
        assertEquals(1, connectErrors, "the connect callback must report the error");
    }

    // =========================================================================== TCPTestFileno

    private int filenoChecks;

    private void checkFileno(TCP handle) {
        if (nativeTransport()) {
            int fd = handle.fileno();
            assertTrue(fd >= 0, "fileno " + fd);
        } else {
            assertTcpError(Errno.UV_ENOTSUP, handle::fileno); // allowed difference on NIO (API.md)
        }
        filenoChecks++;
    }

    @Test
    void test_fileno() {
        watchdog();
        TCP srv = new TCP(loop);
        server = srv;
        srv.bind(HOST, 0);
        checkFileno(srv);
        srv.listen((s, error) -> {
            assertNull(error);
            checkFileno(s);
            TCP conn = new TCP(loop);
            s.accept(conn);
            checkFileno(conn);
            conn.close();
            s.close();
        });
        TCP c = new TCP(loop);
        c.connect(HOST, serverPort(), (cc, error) -> {
            assertNull(error);
            checkFileno(cc);
            cc.close();
        });
        checkFileno(c);
        loop.run();
        assertEquals(5, filenoChecks);
    }

    // =========================================================================== TCPSocketFromfdTest

    /**
     * pyuv compares {@code getsockname()} with Python's {@code socket.fromfd(fileno).getsockname()}.
     * Here: with the address bound (a port known to be free, so the expectation is independent of
     * the code under test), and on native transports also with getsockname(2) on the descriptor.
     */
    private void fromfd(String host, Address expectedShape) {
        TCP c = new TCP(loop);
        c.bind(host, expectedShape.port());
        assertEquals(expectedShape, c.getsockname());
        StandardProtocolFamily family = c.getFamily();
        assertEquals(expectedShape.isIPv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET, family);
        if (nativeTransport()) {
            InetSocketAddress os = TcpSupport.view(c.fileno()).localAddress();
            assertEquals(expectedShape.port(), os.getPort());
            try {
                assertEquals(InetAddress.getByName(host), os.getAddress());
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        } else {
            assertTcpError(Errno.UV_ENOTSUP, c::fileno);
        }
        c.close();
        loop.run();
    }

    @Test
    void test_fromfd_inet() {
        int port = TcpSupport.unusedPort(loop);
        fromfd("127.0.0.1", Address.of("127.0.0.1", port));
    }

    @Test
    void test_fromfd_inet6() {
        int port = TcpSupport.unusedPort(loop, "::1");
        fromfd("::1", Address.of("::1", port, 0, 0));
    }

    // ============================================================ §4.7 open / fileno

    /** pyuv-spec §4.7 / §3.6 (verified): open/fileno need a descriptor; NIO raises ENOTSUP (allowed difference). */
    @Test
    void openAndFilenoOnNioAreEnotsup() {
        if (nativeTransport()) {
            TCP bound = new TCP(loop, StandardProtocolFamily.INET);
            assertTrue(bound.fileno() > 2, "native transports expose the descriptor");
            bound.close();
            loop.run();
            return;
        }
        TCP t = new TCP(loop);
        assertTcpError(Errno.UV_ENOTSUP, () -> t.open(1_000_000));
        assertTcpError(Errno.UV_ENOTSUP, t::fileno);
        TCP s = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_ENOTSUP, s::fileno);
        t.close();
        s.close();
        loop.run();
    }

    /** pyuv-spec §4.7 (verified): an invalid descriptor is EBADF (99999 and -1). */
    @Test
    void openAnInvalidDescriptorIsEbadf() {
        if (!nativeTransport()) {
            TCP nio = new TCP(loop);
            assertTcpError(Errno.UV_ENOTSUP, () -> nio.open(99999)); // open(fd) needs a native transport
            nio.close();
            loop.run();
            return;
        }
        TCP t = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EBADF, () -> t.open(99999));
        assertEquals("bad file descriptor", e.getMessage());
        assertTcpError(Errno.UV_EBADF, () -> t.open(-1));
        assertFalse(t.isReadable());
        assertTcpError(Errno.UV_EINVAL, t::getFamily);
        t.close();
        loop.run();
    }

    /** pyuv-spec §4.7 / §3.6 (verified): EBUSY with another socket; open sets both flags; fileno without socket is EBADF. */
    @Test
    void openAFreshSocket() {
        if (!nativeTransport()) {
            TCP nio = new TCP(loop);
            assertTcpError(Errno.UV_ENOTSUP, () -> nio.open(99999)); // open(fd) needs a native transport
            nio.close();
            loop.run();
            return;
        }
        TCP t = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EBADF, t::fileno);
        assertEquals("bad file descriptor", e.getMessage());
        int fd = TcpSupport.newInetSocketFd();
        TCP other = new TCP(loop, StandardProtocolFamily.INET);
        try {
            assertTcpError(Errno.UV_EBUSY, () -> other.open(fd));
        } catch (AssertionError | RuntimeException x) {
            TcpSupport.closeFd(fd);
            throw x;
        }
        t.open(fd);
        assertTrue(t.isReadable(), "open sets readable");
        assertTrue(t.isWritable(), "open sets writable");
        assertEquals(fd, t.fileno());
        assertEquals(StandardProtocolFamily.INET, t.getFamily());
        assertEquals(Address.of("0.0.0.0", 0), t.getsockname());
        t.close();
        other.close();
        loop.run();
    }
}
