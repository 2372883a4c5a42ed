package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.str;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.3: writes that fail: raised without a socket (EBADF) or for invalid data, reported in
 * the callback without a peer or after shutdown (EPIPE) (libuv's test-tcp-write-fail.c). Also pyuv's
 * {@code TCPErrorTest.test_raise} and {@code TCPTestInvalidData}.
 */
@Timeout(30)
class TcpWriteErrorTest extends TcpTestCase {
    // ---- pyuv's TCPErrorTest.test_raise

    @Test
    void test_raise() {
        TCP tcp = new TCP(loop);
        assertThrows(TCPError.class, () -> tcp.write(b("PING")));
        tcp.close();
        loop.run();
    }

    // =========================================================================== TCPTestInvalidData

    private int invalidChecks;
    private int clientEofs;

    @Test
    void test_invalid_data() {
        listeningServer((srv, error) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            clientConnections.add(conn);
            conn.startRead((cc, data, err) -> {
                cc.close();
                clientConnections.remove(cc);
                server.close();
                fail("Expected write to fail: the server side must not read anything, got "
                        + (data == null ? TcpSupport.name(err) : data.length + " bytes"));
            });

            // pyuv: write(1234), write(object()), write(u"PING") -> TypeError. Java cannot pass
            // those; what it can pass wrongly is null, of each accepted type.
            assertThrows(NullPointerException.class, () -> conn.write((byte[]) null));
            assertThrows(NullPointerException.class, () -> conn.write((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> conn.write((ByteBuf) null));
            assertThrows(NullPointerException.class, () -> conn.write((List<byte[]>) null));
            assertThrows(NullPointerException.class, () -> conn.write((byte[]) null, (h, e) -> fail("callback")));
            // pyuv: write([]) and write(()) -> ValueError('iterable is empty').
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> conn.write(List.of()));
            assertEquals("iterable is empty", empty.getMessage());
            empty = assertThrows(IllegalArgumentException.class,
                    () -> conn.write(new ArrayList<>(), (h, e) -> fail("callback")));
            assertEquals("iterable is empty", empty.getMessage());
            // pyuv: write(list(range(5))) and write([b"PING", 123, u"PING"]) -> TypeError, nothing sent.
            assertThrows(NullPointerException.class, () -> conn.write(Arrays.asList((byte[]) null, null)));
            assertThrows(NullPointerException.class,
                    () -> conn.write(Arrays.asList(b("PING"), null, b("PING")), (h, e) -> fail("callback")));
            assertEquals(0, conn.getWriteQueueSize(), "nothing may be queued");
            invalidChecks++;

            conn.close();
            clientConnections.remove(conn);
            server.close();
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, err) -> {
                assertNull(data, "nothing was written: the first read must be EOF");
                clientEofs++;
                cc.close();
            });
        });
        loop.run();
        assertEquals(1, invalidChecks);
        assertEquals(1, clientEofs);
    }

    // ---- pyuv-spec §3.3

    @Test
    void writeOnASocketlessHandleIsEbadf() {
        TCP t = new TCP(loop);
        StatusCallback<TCP> cb = (h, e) -> ev("write cb");
        TCPError e = assertTcpError(Errno.UV_EBADF, () -> t.write(b("x"), cb));
        assertEquals("bad file descriptor", e.getMessage());
        assertTcpError(Errno.UV_EBADF, () -> t.write(b("x")));
        assertTcpError(Errno.UV_EBADF, () -> t.write(ByteBuffer.wrap(b("x")), cb));
        assertTcpError(Errno.UV_EBADF, () -> t.write(List.of(b("x")), cb));
        ByteBuf buf = Unpooled.copiedBuffer(b("x"));
        try {
            assertTcpError(Errno.UV_EBADF, () -> t.write(buf, cb));
            assertEquals(1, buf.refCnt(), "the caller keeps ownership when write throws");
        } finally {
            buf.release();
        }
        assertEquals(0, t.getWriteQueueSize());
        t.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.3 (verified): no peer: EPIPE in the callback, not raised. */
    @Test
    void writeOnAnUnconnectedSocketFailsWithEpipeInTheCallback() {
        TCP t = new TCP(loop, StandardProtocolFamily.INET);
        t.write(b("x"), (h, e) -> ev("bytes " + err(e)));
        t.write(ByteBuffer.wrap(b("x")), (h, e) -> ev("buffer " + err(e)));
        t.write(List.of(b("x"), b("y")), (h, e) -> {
            ev("list " + err(e));
            h.close();
        });
        ev("returned");
        loop.run();
        assertEquals(List.of("returned", "bytes UV_EPIPE", "buffer UV_EPIPE", "list UV_EPIPE"), events);
    }

    /** pyuv-spec §3.5 (verified): a write after the shutdown completed fails with EPIPE in its callback. */
    @Test
    void writeAfterShutdownFailsWithEpipe() {
        watchdog();
        List<String> serverEvents = new ArrayList<>();
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                serverEvents.add(str(data) + " " + err(e));
                if (data == null) {
                    h.close();
                }
            });
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                assertTrue(h.isWritable(), "writable still reads True after shutdown (libuv 1.13)");
                h.write(b("x"), (hh, x) -> {
                    ev("write " + err(x));
                    hh.close();
                });
                ev("write returned");
            });
        });
        loop.run();
        assertEquals(List.of("shutdown null", "write returned", "write UV_EPIPE"), events);
        assertEquals(List.of("null UV_EOF"), serverEvents);
    }
}
