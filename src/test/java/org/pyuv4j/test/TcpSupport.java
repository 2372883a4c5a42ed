package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Socket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.TCPError;

/** Small helpers shared by the TCP test classes. */
public final class TcpSupport {
    /** pyuv's {@code common.linesep}: {@code os.linesep.encode()}, {@code b"\n"} on Linux. */
    public static final byte[] LINESEP = System.lineSeparator().getBytes(StandardCharsets.ISO_8859_1);

    /** pyuv's {@code b"PING" + common.linesep}, what the server of test_tcp.py writes. */
    public static final byte[] PING = concat(b("PING"), LINESEP);

    private TcpSupport() {
    }

    /** @return the Latin-1 bytes of {@code s} (a Python {@code b"..."} literal) */
    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the Latin-1 text of {@code data}, or "null" (for event logs) */
    public static String str(byte[] data) {
        return data == null ? "null" : new String(data, StandardCharsets.ISO_8859_1);
    }

    /** @return the concatenation of {@code parts} */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** @return {@code b(s) * n} */
    public static byte[] repeat(String s, int n) {
        return b(s.repeat(n));
    }

    /**
     * A loopback port with nothing listening: a handle is bound to {@code 127.0.0.1:0} and closed
     * again (its close callback runs in the caller's next {@code run()}). A connect to it is refused.
     *
     * @param loop the loop of the test
     * @return the port
     */
    public static int unusedPort(Loop loop) {
        return unusedPort(loop, "127.0.0.1");
    }

    /**
     * Like {@link #unusedPort(Loop)} on another address.
     *
     * @param loop the loop of the test
     * @param host a local numeric address
     * @return the port
     */
    public static int unusedPort(Loop loop, String host) {
        TCP probe = new TCP(loop);
        probe.bind(host, 0);
        int port = probe.getsockname().port();
        probe.close();
        return port;
    }

    /**
     * Asserts that {@code call} throws a {@link TCPError} with {@code errno} and libuv's message for it.
     *
     * @return the error
     */
    public static TCPError assertTcpError(int errno, Executable call) {
        TCPError e = assertThrows(TCPError.class, call);
        assertEquals(errno, e.errno(), () -> "errno: expected " + Errno.errorcode(errno) + " but was "
                + Errno.errorcode(e.errno()) + " (" + e + ")");
        assertEquals(Errno.strerror(errno), e.getMessage());
        return e;
    }

    /**
     * Asserts that {@code call} throws {@link HandleClosedError} with pyuv's message and no errno.
     *
     * @return the error
     */
    public static HandleClosedError assertHandleClosed(Executable call) {
        HandleClosedError e = assertThrows(HandleClosedError.class, call);
        assertEquals("Handle is closing/closed", e.getMessage());
        assertEquals(0, e.errno());
        return e;
    }

    /**
     * Bounds a test that could hang: an unreferenced timer (it does not keep the loop alive) that
     * fails the test through the loop's excepthook if the loop is still running after {@code seconds}.
     *
     * @param loop    the loop
     * @param seconds the limit
     * @param state   describes the test's progress for the failure message
     * @return the timer (closed by tearDown, or by itself when it fires)
     */
    public static Timer watchdog(Loop loop, double seconds, Supplier<String> state) {
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            throw new AssertionError("watchdog: the loop was still running after " + seconds + " s; " + state.get());
        }, seconds, 0);
        t.setRef(false);
        return t;
    }

    /** A server bound to {@code host}, port 0, listening with {@code onConnection}. */
    public static TCP server(Loop loop, String host, StatusCallback<TCP> onConnection) {
        TCP srv = new TCP(loop);
        srv.bind(host, 0);
        srv.listen(onConnection);
        return srv;
    }

    /**
     * A connected pair: {@code ready(client, accepted)} runs inside the loop once the connect
     * callback and the accept have both happened; the server is closed after its one accept.
     */
    public static void pair(Loop loop, String host, BiConsumer<TCP, TCP> ready) {
        TCP[] ends = new TCP[2];
        boolean[] done = {false};
        Runnable check = () -> {
            if (!done[0] && ends[0] != null && ends[1] != null) {
                done[0] = true;
                ready.accept(ends[0], ends[1]);
            }
        };
        TCP srv = server(loop, host, (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            ends[1] = conn;
            check.run();
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (cc, e) -> {
            assertNull(e, () -> "pair connect: " + name(e));
            ends[0] = cc;
            check.run();
        });
    }

    /**
     * Writes 64 KiB chunks until the stream queues (the peer must not be reading), then 8 MiB more
     * so that the queue cannot drain into kernel buffers that grow later.
     *
     * @return the number of chunks written
     */
    public static int fillWriteQueue(TCP c, StatusCallback<TCP> callback) {
        byte[] chunk = new byte[64 << 10];
        int n = 0;
        while (c.getWriteQueueSize() == 0) {
            c.write(chunk, callback);
            n++;
            if (n > 8192) {
                fail("write_queue_size still 0 after " + n + " 64 KiB writes to a peer that does not read");
            }
        }
        for (int i = 0; i < 128; i++) {
            c.write(chunk, callback);
            n++;
        }
        return n;
    }

    /** @return a name for an errno (or "null") for messages */
    public static String name(Integer errno) {
        return errno == null ? "null" : Errno.errorcode(errno);
    }

    /**
     * A fresh, unconnected, non-blocking AF_INET stream socket descriptor (Python's
     * {@code socket.socket(AF_INET, SOCK_STREAM).fileno()}). Needs Netty's native library, which is
     * loaded once a loop on a native transport (epoll) exists.
     *
     * @return the descriptor; the caller owns it
     */
    public static int newInetSocketFd() {
        return RawSocket.newInetStream();
    }

    /**
     * Closes a descriptor made by {@link #newInetSocketFd()} (when the test did not hand it to a handle).
     *
     * @param fd the descriptor
     */
    public static void closeFd(int fd) {
        try {
            new Socket(fd).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A view of a descriptor owned by someone else (Python's {@code socket.fromfd} without the dup):
     * never close it.
     *
     * @param fd the descriptor
     * @return a socket object for getsockopt/getsockname
     */
    public static Socket view(int fd) {
        return new Socket(fd);
    }

    /** Reaches Socket's protected factory for a socket of an explicit family. */
    private static final class RawSocket extends Socket {
        private RawSocket() {
            super(-1);
        }

        static int newInetStream() {
            return newSocketStream0(SocketProtocolFamily.INET);
        }
    }
}
