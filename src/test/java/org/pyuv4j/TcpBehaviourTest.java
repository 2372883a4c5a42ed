package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pyuv4j.test.TcpSupport.assertHandleClosed;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiConsumer;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv's TCP semantics beyond its own test suite: one test per trap of pyuv-spec.md §11 and per
 * verified edge case of §2-§4, each checking the exception type, message and errno, or the exact
 * order of callbacks. "(verified)" in pyuv-spec marks behaviour observed on real pyuv: that is the
 * truth here. A few tests check behaviour that follows directly from libuv 1.13's code and
 * Linux; their comments say so. Loopback only; every network test is bounded by a watchdog.
 */
@Timeout(30)
class TcpBehaviourTest extends UvTestCase {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final int MAX_READ = 65536;

    private final List<String> events = new ArrayList<>();

    private void ev(String event) {
        events.add(event);
    }

    private static String err(Integer errno) {
        return TcpSupport.name(errno);
    }

    private void watchdog() {
        TcpSupport.watchdog(loop, 10, () -> "events so far: " + events);
    }

    /** A one-shot timer that closes itself and then runs {@code r}. */
    private void after(double seconds, Runnable r) {
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            r.run();
        }, seconds, 0);
    }

    /** A listening server on {@code host}:0; {@code onConnection} gets each pending connection. */
    private TCP server(String host, StatusCallback<TCP> onConnection) {
        return TcpSupport.server(loop, host, onConnection);
    }

    /** A server that accepts each connection and closes it at once. */
    private TCP closingServer() {
        return server(HOST, (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
        });
    }

    /**
     * Connects a client to a fresh server on {@code host}; once both the client's connect callback
     * and the server's accept have happened, calls {@code ready(client, accepted)} (from inside
     * the loop). The server handle is closed after its one accept.
     */
    private void pair(String host, BiConsumer<TCP, TCP> ready) {
        TcpSupport.pair(loop, host, ready);
    }

    private void pair(BiConsumer<TCP, TCP> ready) {
        pair(HOST, ready);
    }

    /**
     * Writes 64 KiB chunks until the stream queues (the peer must not be reading), then 8 MiB more
     * so that the queue cannot drain into kernel buffers that grow later.
     *
     * @return the number of chunks written
     */
    private int fillWriteQueue(TCP c, StatusCallback<TCP> callback) {
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

    private static String str(byte[] data) {
        return data == null ? "null" : new String(data, StandardCharsets.ISO_8859_1);
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

    // ============================================================ §11.1 callbacks are never synchronous

    @Test
    void writeCallbacksAreNeverSynchronous() {
        watchdog();
        pair((c, conn) -> {
            c.write(b("x"), (h, e) -> ev("write cb " + err(e)));
            ev("write returned");
            c.write(new byte[0], (h, e) -> ev("empty write cb " + err(e)));
            ev("empty write returned");
            // A write that fails at once (no peer) still reports in a later phase.
            TCP unconnected = new TCP(loop, StandardProtocolFamily.INET);
            unconnected.write(b("x"), (h, e) -> {
                ev("unconnected write cb " + err(e));
                h.close();
            });
            ev("unconnected write returned");
            after(0.05, () -> {
                c.close();
                conn.close();
            });
        });
        loop.run();
        assertEquals(List.of("write returned", "empty write returned", "unconnected write returned",
                "write cb null", "empty write cb null", "unconnected write cb UV_EPIPE"), events);
    }

    @Test
    void connectCallbacksAreNeverSynchronous() {
        watchdog();
        int refused = TcpSupport.unusedPort(loop);
        TCP srv = closingServer();
        Address address = srv.getsockname();
        after(0.001, () -> {
            TCP ok = new TCP(loop);
            ok.connect(address, (h, e) -> {
                ev("connect cb " + err(e));
                h.close();
                srv.close();
            });
            ev("connect returned");
            TCP bad = new TCP(loop);
            bad.connect(HOST, refused, (h, e) -> {
                ev("refused cb " + err(e));
                h.close();
            });
            ev("refused connect returned");
        });
        loop.run();
        assertEquals(4, events.size(), events::toString);
        assertEquals(List.of("connect returned", "refused connect returned"), events.subList(0, 2));
        assertTrue(events.containsAll(List.of("connect cb null", "refused cb UV_ECONNREFUSED")), events::toString);
    }

    @Test
    void shutdownCallbackIsNeverSynchronous() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> {
                ev("shutdown cb " + err(e));
                h.close();
                conn.close();
            });
            ev("shutdown returned");
        });
        loop.run();
        assertEquals(List.of("shutdown returned", "shutdown cb null"), events);
    }

    @Test
    void closeCallbackIsNeverSynchronous() {
        after(0.05, () -> { // a later iteration than the close before run (close callbacks of one iteration are LIFO)
            TCP t = new TCP(loop);
            t.close(h -> ev("close cb"));
            ev("close returned");
        });
        TCP before = new TCP(loop);
        before.close(h -> ev("close cb before run"));
        ev("close before run returned");
        loop.run();
        assertEquals(List.of("close before run returned", "close cb before run", "close returned", "close cb"), events);
    }

    // ============================================================ §11.2 / §3.1 reading

    @Test
    void readsAreAtMost64KiBAndEofStopsReading() {
        watchdog();
        byte[] payload = new byte[(1 << 20) + 1];
        new Random(42).nextBytes(payload);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int[] chunks = {0};
        pair((c, conn) -> {
            c.startRead((h, data, e) -> {
                if (data != null) {
                    assertNull(e);
                    assertTrue(data.length > 0 && data.length <= MAX_READ, "read of " + data.length + " bytes");
                    received.writeBytes(data);
                    chunks[0]++;
                    return;
                }
                assertSame(c, h);
                assertEquals(Errno.UV_EOF, e, () -> "read end: " + err(e));
                assertFalse(h.isActive(), "reading stops before the EOF callback");
                assertTrue(h.isReadable(), "EOF does not clear readable");
                assertTrue(h.isWritable(), "EOF does not clear writable");
                ev("eof");
                h.close();
            });
            conn.write(payload);
            conn.shutdown((h, e) -> h.close());
        });
        loop.run();
        assertEquals(List.of("eof"), events);
        assertArrayEquals(payload, received.toByteArray());
        assertTrue(chunks[0] >= 17, "1 MiB + 1 needs at least 17 reads of at most 64 KiB: " + chunks[0]);
    }

    @Test
    void peerCloseGivesEof() {
        watchdog();
        pair((c, conn) -> {
            c.startRead((h, data, e) -> {
                ev("read " + str(data) + " " + err(e));
                h.close();
            });
            conn.close();
        });
        loop.run();
        assertEquals(List.of("read null UV_EOF"), events);
    }

    /** pyuv-spec §3.1 (verified): from outside the EOF callback, start_read delivers EOF again. */
    @Test
    void restartAfterEofFromALaterTimerDeliversEofAgain() {
        watchdog();
        int[] eofs = {0};
        @SuppressWarnings("unchecked")
        ReadCallback<TCP>[] reader = new ReadCallback[1];
        reader[0] = (h, data, e) -> {
            assertNull(data);
            assertEquals(Errno.UV_EOF, e, () -> "read end: " + err(e));
            assertFalse(h.isActive());
            eofs[0]++;
            ev("eof " + eofs[0]);
            if (eofs[0] < 3) {
                after(0.01, () -> {
                    h.startRead(reader[0]);
                    ev("restart returned");
                });
            } else {
                h.close();
            }
        };
        pair((c, conn) -> {
            conn.close();
            c.startRead(reader[0]);
        });
        loop.run();
        assertEquals(List.of("eof 1", "restart returned", "eof 2", "restart returned", "eof 3"), events);
    }

    /** pyuv-spec §3.1 (verified): a restart from inside the EOF callback gets no further callbacks. */
    @Test
    void restartInsideTheEofCallbackIsIneffective() {
        watchdog();
        pair((c, conn) -> {
            conn.close();
            c.startRead((h, data, e) -> {
                ev("read " + str(data) + " " + err(e));
                h.startRead((h2, d2, e2) -> ev("restarted read " + str(d2) + " " + err(e2)));
                after(0.2, h::close);
            });
        });
        loop.run();
        assertEquals(List.of("read null UV_EOF"), events);
    }

    /** pyuv-spec §3.1 (verified): ECONNRESET arrives as a read error; reading stops; flags stay (libuv 1.13). */
    @Test
    void resetByPeerIsAReadError() {
        watchdog();
        pair((c, conn) -> {
            c.startRead((h, data, e) -> {
                ev("read " + str(data) + " " + err(e));
                assertFalse(h.isActive(), "reading stops before the error callback");
                assertTrue(h.isReadable());
                assertTrue(h.isWritable());
                h.close();
            });
            // conn never reads: closing it with unread data makes the kernel send a RST.
            c.write(b("hello"), (h, e) -> {
                assertNull(e);
                after(0.05, conn::close);
            });
        });
        loop.run();
        assertEquals(List.of("read null UV_ECONNRESET"), events);
    }

    /**
     * As {@link #resetByPeerIsAReadError}, with the close made inside a poll-phase callback (here a
     * listen callback), where the NIO transport cannot deregister the socket first.
     */
    @Test
    void closeWithUnreadInputInsideAPollPhaseCallbackResetsThePeer() {
        watchdog();
        TCP[] unread = new TCP[1];
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            if (unread[0] == null) {
                unread[0] = conn; // never reads
                return;
            }
            unread[0].close(); // inside the second listen callback
            conn.close();
            s.close();
        });
        TCP first = new TCP(loop);
        first.connect(srv.getsockname(), (c, e) -> {
            c.startRead((h, data, re) -> {
                ev("read " + str(data) + " " + err(re));
                h.close();
            });
            c.write(b("hello"), (h, we) -> {
                assertNull(we);
                after(0.05, () -> new TCP(loop).connect(srv.getsockname(), (c2, e2) -> c2.close()));
            });
        });
        loop.run();
        assertEquals(List.of("read null UV_ECONNRESET"), events);
    }

    /** pyuv-spec §3.3 (verified): writing to a peer that reset the connection: ECONNRESET, then EPIPE. */
    @Test
    void writeToAResetPeerGivesEconnresetThenEpipe() {
        watchdog();
        pair((c, conn) -> c.write(b("hello"), (h, e) -> {
            assertNull(e);
            after(0.05, () -> conn.close(x -> after(0.05, () -> {
                c.write(b("a"), (h1, e1) -> ev("write 1 " + err(e1)));
                c.write(b("b"), (h2, e2) -> {
                    ev("write 2 " + err(e2));
                    h2.close();
                });
            })));
        }));
        loop.run();
        assertEquals(List.of("write 1 UV_ECONNRESET", "write 2 UV_EPIPE"), events);
    }

    @Test
    void startReadTwiceReplacesTheCallback() {
        watchdog();
        pair((c, conn) -> {
            c.startRead((h, data, e) -> ev("first " + str(data)));
            c.startRead((h, data, e) -> {
                ev("second " + str(data));
                h.close();
                conn.close();
            });
            conn.write(b("x"));
        });
        loop.run();
        assertEquals(List.of("second x"), events);
    }

    @Test
    void stopReadPausesDelivery() {
        watchdog();
        pair((c, conn) -> {
            c.stopRead(); // not reading: a no-op
            c.startRead((h, data, e) -> ev("first reader " + str(data)));
            assertTrue(c.isActive());
            c.stopRead();
            assertFalse(c.isActive());
            conn.write(b("abc"));
            after(0.1, () -> {
                ev("timer");
                c.startRead((h, data, e) -> {
                    ev("second reader " + str(data));
                    h.close();
                    conn.close();
                });
            });
        });
        loop.run();
        assertEquals(List.of("timer", "second reader abc"), events);
    }

    /** Allowed difference (API.md): pyuv aborts the process; we raise ENOTCONN. */
    @Test
    void startReadWithoutSocketIsEnotconn() {
        TCP t = new TCP(loop);
        assertTcpError(Errno.UV_ENOTCONN, () -> t.startRead((h, d, e) -> ev("read")));
        assertTcpError(Errno.UV_ENOTCONN, () -> t.startReadBuf((h, d, e) -> ev("read")));
        assertEquals("socket is not connected", Errno.strerror(Errno.UV_ENOTCONN));
        assertFalse(t.isActive());
        t.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.1 (verified): a socket without a peer reports ENOTCONN in the read callback. */
    @Test
    void startReadOnAnUnconnectedSocketReportsEnotconnInTheCallback() {
        watchdog();
        TCP t = new TCP(loop, StandardProtocolFamily.INET);
        t.startRead((h, data, e) -> {
            ev("read " + str(data) + " " + err(e));
            assertFalse(h.isActive(), "reading stops before the error callback");
            h.close();
        });
        ev("start_read returned");
        loop.run();
        assertEquals(List.of("start_read returned", "read null UV_ENOTCONN"), events);
    }

    // ============================================================ §2.2 close with pending requests

    @Test
    void closeRightAfterConnectCancelsTheConnect() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        c.close(h -> {
            ev("close");
            srv.close();
        });
        loop.run();
        assertEquals(List.of("connect UV_ECANCELED", "close"), events);
    }

    /** Connect, then writes (FIFO), then shutdown get ECANCELED, then the close callback. */
    @Test
    void closeWhileConnectingCancelsEverythingInOrder() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        c.write(b("a"), (h, e) -> ev("write a " + err(e)));
        c.write(List.of(b("b"), b("c")), (h, e) -> ev("write bc " + err(e)));
        c.shutdown((h, e) -> ev("shutdown " + err(e)));
        assertEquals(3, c.getWriteQueueSize());
        c.close(h -> {
            ev("close, write_queue_size " + h.getWriteQueueSize());
            srv.close();
        });
        loop.run();
        assertEquals(List.of("connect UV_ECANCELED", "write a UV_ECANCELED", "write bc UV_ECANCELED",
                "shutdown UV_ECANCELED", "close, write_queue_size 0"), events);
    }

    /**
     * pyuv-spec §2.2 (verified, p11.py): 20 x 1 MB writes + shutdown + close: finished writes get
     * None, the rest ECANCELED, FIFO; then shutdown ECANCELED; then the close callback.
     */
    @Test
    void closeWithWritesInFlightCompletesThemInOrder() {
        watchdog();
        pair((c, conn) -> {
            byte[] mb = new byte[1_000_000];
            for (int i = 0; i < 20; i++) {
                int n = i;
                c.write(mb, (h, e) -> ev("write " + n + " " + err(e)));
            }
            c.shutdown((h, e) -> ev("shutdown " + err(e)));
            c.close(h -> {
                ev("close, write_queue_size " + h.getWriteQueueSize());
                conn.close();
            });
        });
        loop.run();
        assertEquals(22, events.size(), events::toString);
        boolean cancelled = false;
        for (int i = 0; i < 20; i++) {
            String e = events.get(i);
            assertTrue(e.startsWith("write " + i + " "), () -> "FIFO: " + events);
            if (e.endsWith("UV_ECANCELED")) {
                cancelled = true;
            } else {
                assertTrue(e.endsWith(" null"), e);
                assertFalse(cancelled, () -> "a completed write after a cancelled one: " + events);
            }
        }
        assertTrue(cancelled, () -> "20 MB cannot all be in loopback buffers: " + events);
        assertEquals("shutdown UV_ECANCELED", events.get(20));
        assertEquals("close, write_queue_size 0", events.get(21));
    }

    /** pyuv-spec §2.2 (verified): shutdown immediately followed by close. */
    @Test
    void shutdownThenCloseCancelsTheShutdown() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> ev("shutdown " + err(e)));
            c.close(h -> {
                ev("close");
                conn.close();
            });
        });
        loop.run();
        assertEquals(List.of("shutdown UV_ECANCELED", "close"), events);
    }

    @Test
    void closeCallbacksRunLifo() {
        TCP a = new TCP(loop);
        TCP b = new TCP(loop, StandardProtocolFamily.INET);
        TCP c = new TCP(loop);
        c.bind(HOST, 0);
        a.close(h -> ev("a"));
        b.close(h -> ev("b"));
        c.close(h -> ev("c"));
        loop.run();
        assertEquals(List.of("c", "b", "a"), events);
    }

    /** pyuv-spec §2.2, §2.3, §12 (verified): loop, ref and handles around the close callback. */
    @Test
    void loopIsNullAfterTheCloseCallback() {
        TCP t = new TCP(loop);
        t.bind(HOST, 0);
        assertSame(loop, t.getLoop());
        t.close(h -> {
            ev("close cb");
            assertSame(loop, h.getLoop(), "still the loop during the close callback");
            assertFalse(h.isRef(), "ref reads False from the close callback on");
            assertFalse(loop.getHandles().contains(h), "gone from loop.handles during its close callback");
        });
        assertTrue(t.isClosed());
        assertTrue(t.isRef(), "ref still reads True while closing");
        assertTrue(loop.getHandles().contains(t), "a closing handle is still listed");
        assertSame(loop, t.getLoop());
        loop.run();
        assertEquals(List.of("close cb"), events);
        assertNull(t.getLoop());
        assertFalse(t.isRef());
        assertTrue(t.isClosed());
        assertFalse(t.isActive());
    }

    // ============================================================ §2.4 closed handles

    private void assertEveryMethodRaisesHandleClosed(TCP h) {
        TCP other = new TCP(loop);
        StatusCallback<TCP> cb = (x, e) -> ev("callback on a closed handle");
        assertHandleClosed(h::close);
        assertHandleClosed(() -> h.close(x -> ev("second close callback")));
        assertHandleClosed(() -> h.bind(HOST, 0));
        assertHandleClosed(() -> h.bind(Address.of(HOST, 0)));
        assertHandleClosed(() -> h.bind(Address.of("::1", 0), TCP.IPV6ONLY));
        assertHandleClosed(() -> h.listen(cb));
        assertHandleClosed(() -> h.listen(cb, 5));
        assertHandleClosed(() -> h.accept(other));
        assertHandleClosed(() -> h.connect(Address.of(HOST, 9), cb));
        assertHandleClosed(() -> h.connect(HOST, 9, cb));
        assertHandleClosed(h::getsockname);
        assertHandleClosed(h::getpeername);
        assertHandleClosed(() -> h.nodelay(true));
        assertHandleClosed(() -> h.keepalive(true, 10));
        assertHandleClosed(() -> h.simultaneousAccepts(true));
        assertHandleClosed(() -> h.open(-1));
        assertHandleClosed(h::shutdown);
        assertHandleClosed(() -> h.shutdown(cb));
        assertHandleClosed(() -> h.startRead((x, d, e) -> ev("read on a closed handle")));
        assertHandleClosed(() -> h.startReadBuf((x, d, e) -> ev("read on a closed handle")));
        assertHandleClosed(h::stopRead);
        assertHandleClosed(() -> h.write(b("x")));
        assertHandleClosed(() -> h.write(b("x"), cb));
        assertHandleClosed(() -> h.write(ByteBuffer.wrap(b("x"))));
        assertHandleClosed(() -> h.write(ByteBuffer.wrap(b("x")), cb));
        ByteBuf buf = Unpooled.copiedBuffer(b("x"));
        try {
            assertHandleClosed(() -> h.write(buf));
            assertHandleClosed(() -> h.write(buf, cb));
            assertEquals(1, buf.refCnt(), "the caller keeps ownership when write throws");
        } finally {
            buf.release();
        }
        assertHandleClosed(() -> h.write(List.of(b("x"))));
        assertHandleClosed(() -> h.write(List.of(b("x")), cb));
        assertHandleClosed(() -> h.tryWrite(b("x")));
        assertHandleClosed(() -> h.tryWrite(ByteBuffer.wrap(b("x"))));
        assertHandleClosed(h::fileno);
        other.close();
    }

    /** pyuv-spec §2.4 (verified): every method listed raises HandleClosedError, while closing and once closed. */
    @Test
    void everyCheckedMethodRaisesHandleClosedError() {
        watchdog();
        pair((c, conn) -> {
            c.close(h -> {
                assertEveryMethodRaisesHandleClosed(h);
                ev("checked in close cb");
            });
            assertEveryMethodRaisesHandleClosed(c);
            ev("checked while closing");
            conn.close();
        });
        TCP fresh = new TCP(loop);
        fresh.close();
        assertEveryMethodRaisesHandleClosed(fresh);
        loop.run();
        assertEveryMethodRaisesHandleClosed(fresh);
        assertEquals(List.of("checked while closing", "checked in close cb"), events);
        HandleError closedError = assertHandleClosed(fresh::getsockname);
        assertFalse(closedError instanceof TCPError, "HandleClosedError is not a TCPError");
    }

    private void assertUncheckedProperties(TCP bound, TCP fresh, boolean closeCallbackRan) {
        assertTcpError(Errno.UV_EINVAL, bound::getFamily);
        assertTcpError(Errno.UV_EBADF, bound::getSendBufferSize);
        assertTcpError(Errno.UV_EBADF, bound::getReceiveBufferSize);
        assertTcpError(Errno.UV_EBADF, () -> bound.setSendBufferSize(65536));
        assertTcpError(Errno.UV_EBADF, () -> bound.setReceiveBufferSize(65536));
        assertTrue(bound.isReadable(), "a bound handle keeps readable after close");
        assertTrue(bound.isWritable(), "a bound handle keeps writable after close");
        assertEquals(0, bound.getWriteQueueSize());
        assertFalse(bound.isActive());
        assertTrue(bound.isClosed());
        assertEquals(!closeCallbackRan, bound.isRef());
        assertTcpError(Errno.UV_EINVAL, fresh::getFamily);
        assertTcpError(Errno.UV_EBADF, fresh::getSendBufferSize);
        assertFalse(fresh.isReadable());
        assertFalse(fresh.isWritable());
        assertEquals(0, fresh.getWriteQueueSize());
        assertFalse(fresh.isActive());
        assertTrue(fresh.isClosed());
    }

    /** pyuv-spec §2.4 "does not check" (verified): these keep working (or raise TCPError) after close. */
    @Test
    void propertiesThatDoNotCheckForClosedHandles() {
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        TCP fresh = new TCP(loop);
        bound.close(h -> {
            assertUncheckedProperties(h, fresh, true);
            ev("close cb");
        });
        fresh.close();
        assertUncheckedProperties(bound, fresh, false);
        loop.run();
        assertUncheckedProperties(bound, fresh, true);
        bound.setRef(true); // allowed on closed handles
        bound.setRef(false);
        assertEquals(List.of("close cb"), events);
    }

    // ============================================================ §4.3 deferred EADDRINUSE

    /** pyuv-spec §4.3 (verified): bind succeeds; getsockname, family and listen raise; connect clears it. */
    @Test
    void eaddrinuseIsDeferredAndConnectClearsIt() {
        watchdog();
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP second = new TCP(loop);
        second.bind(HOST, port);
        assertTrue(second.isReadable());
        assertTrue(second.isWritable());
        TCPError e = assertTcpError(Errno.UV_EADDRINUSE, second::getsockname);
        assertEquals("address already in use", e.getMessage());
        assertTcpError(Errno.UV_EADDRINUSE, second::getpeername);
        assertTcpError(Errno.UV_EADDRINUSE, second::getFamily);
        assertTcpError(Errno.UV_EADDRINUSE, () -> second.listen((s, x) -> ev("second listen cb")));
        assertFalse(second.isActive());
        Address[] local = new Address[1];
        second.connect(HOST, port, (h, x) -> {
            ev("connect " + err(x));
            local[0] = h.getsockname();
            assertEquals(StandardProtocolFamily.INET, h.getFamily());
            h.close();
        });
        loop.run();
        assertTrue(events.contains("connect null"), events::toString);
        assertTrue(events.contains("accepted"), events::toString);
        assertEquals(HOST, local[0].host());
        assertNotEquals(port, local[0].port(), "connects from an ephemeral port");
    }

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

    /** pyuv-spec §4.8 (verified): IPv6 results are 4-tuples (flowinfo and scope id 0 here), IPv4 2-tuples. */
    @Test
    void ipv6AddressesHaveFourFields() {
        watchdog();
        Address[] seen = new Address[4];
        TCP srv = server("::1", (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            seen[0] = conn.getpeername();
            seen[1] = conn.getsockname();
            conn.close();
            s.close();
        });
        Address local = srv.getsockname();
        int port = local.port();
        assertEquals(Address.of("::1", port, 0, 0), local);
        assertTrue(local.isIPv6());
        assertEquals("('::1', " + port + ", 0, 0)", local.toString());
        TCP c = new TCP(loop);
        c.connect(local, (h, e) -> {
            assertNull(e);
            seen[2] = h.getsockname();
            seen[3] = h.getpeername();
            h.close();
        });
        loop.run();
        assertEquals(Address.of("::1", seen[2].port(), 0, 0), seen[2]);
        assertEquals(Address.of("::1", port, 0, 0), seen[3]);
        assertEquals(seen[2], seen[0], "the server sees the client's address");
        assertEquals(Address.of("::1", port, 0, 0), seen[1]);

        TCP v4 = new TCP(loop);
        v4.bind(HOST, 0);
        Address a = v4.getsockname();
        assertEquals(0, a.flowinfo());
        assertEquals(0, a.scopeId());
        assertFalse(a.isIPv6());
        assertEquals("('127.0.0.1', " + a.port() + ")", a.toString());
        v4.close();
        loop.run();
    }

    /** pyuv-spec §4.3 (verified): '::' is dual stack; a v4 client's peer is ('::ffff:127.0.0.1', p, 0, 0). */
    @Test
    void dualStackServerSeesMappedIpv4Peers() {
        watchdog();
        Address[] seen = new Address[4];
        TCP srv = server("::", (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            seen[0] = conn.getpeername();
            seen[1] = conn.getsockname();
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> {
            assertNull(e);
            seen[2] = h.getsockname();
            seen[3] = h.getpeername();
            h.close();
        });
        loop.run();
        assertNotNull(seen[0], "the server must accept the IPv4 client");
        assertEquals(Address.of("::ffff:127.0.0.1", seen[2].port(), 0, 0), seen[0]);
        assertEquals(Address.of("::ffff:127.0.0.1", port, 0, 0), seen[1]);
        assertEquals(Address.of(HOST, port), seen[3]);
    }

    /** pyuv-spec §4.3 (verified): IPV6ONLY with an IPv4 address is EINVAL, checked before a socket is made. */
    @Test
    void ipv6OnlyWithAnIpv4AddressIsEinval() {
        TCP t = new TCP(loop);
        assertTcpError(Errno.UV_EINVAL, () -> t.bind(Address.of(HOST, 0), TCP.IPV6ONLY));
        assertTcpError(Errno.UV_EINVAL, t::getFamily);
        assertFalse(t.isReadable());
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_EINVAL, () -> inet.bind(Address.of("0.0.0.0", 0), TCP.IPV6ONLY));
        t.close();
        inet.close();
        loop.run();
    }

    /**
     * IPV6ONLY on '::': IPv4 clients are refused, IPv6 ones accepted. NIO cannot set IPV6_V6ONLY:
     * there bind raises ENOTSUP (allowed difference).
     */
    @Test
    void ipv6OnlyServerRefusesIpv4Clients() {
        watchdog();
        TCP srv = new TCP(loop);
        if (!nativeTransport()) {
            assertTcpError(Errno.UV_ENOTSUP, () -> srv.bind(Address.of("::1", 0), TCP.IPV6ONLY));
            srv.close();
            loop.run();
            return;
        }
        srv.bind(Address.of("::", 0), TCP.IPV6ONLY);
        srv.listen((s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted " + conn.getpeername().host());
            conn.close();
            s.close();
        });
        int port = srv.getsockname().port();
        TCP v4 = new TCP(loop);
        v4.connect(HOST, port, (h, e) -> {
            ev("v4 " + err(e));
            h.close();
            TCP v6 = new TCP(loop);
            v6.connect("::1", port, (h6, e6) -> {
                ev("v6 " + err(e6));
                h6.close();
            });
        });
        loop.run();
        assertEquals(3, events.size(), events::toString);
        assertEquals("v4 UV_ECONNREFUSED", events.get(0));
        assertTrue(events.containsAll(List.of("v6 null", "accepted ::1")), events::toString);
    }

    /** pyuv-spec §4.3 (verified): bind errors. */
    @Test
    void bindErrors() {
        TCP twice = new TCP(loop);
        twice.bind(HOST, 0);
        assertTcpError(Errno.UV_EINVAL, () -> twice.bind(HOST, 0));
        TCP inet6 = new TCP(loop, StandardProtocolFamily.INET6);
        assertTcpError(Errno.UV_EINVAL, () -> inet6.bind("127.0.0.1", 0));
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_ENOPROTOOPT, () -> inet.bind("::1", 0));
        assertEquals("protocol not available", e.getMessage());
        twice.close();
        inet6.close();
        inet.close();
        loop.run();
    }

    @Test
    void bindToAnAddressThisHostDoesNotHaveIsEaddrnotavailAtOnce() {
        // libuv's tcp_bind_error_addrnotavail_2 (4.4.4.4) and its IPv6 twin: only EADDRINUSE is deferred.
        TCP t4 = new TCP(loop);
        assertTcpError(Errno.UV_EADDRNOTAVAIL, () -> t4.bind("4.4.4.4", 0));
        t4.bind(HOST, 0); // the handle stays usable
        TCP t6 = new TCP(loop);
        assertTcpError(Errno.UV_EADDRNOTAVAIL, () -> t6.bind("2001:db8::1", 0));
        t4.close();
        t6.close();
        loop.run();
    }

    @Test
    void tryWriteAfterThePeerClosedFailsOnceTheResetIsBack() {
        // libuv's tcp_try_write_error: once the peer's close callback ran, its socket is closed, so
        // try_write succeeds until the reset comes back, which on loopback is at once. libuv 1.13 then
        // answers EAGAIN, not the socket error (pyuv-spec §3.4 and §8), with nothing queued.
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            conn.close(x -> {
                int writes = 0;
                try {
                    for (;;) {
                        assertEquals(4, c.tryWrite(b("meow")));
                        writes++;
                    }
                } catch (TCPError err) {
                    ev("try_write " + err(err.errno()) + ", queue " + c.getWriteQueueSize());
                    int n = writes;
                    assertTrue(n <= 2, () -> "the peer was still open: " + n + " writes went through");
                }
                c.close();
            });
        });
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        loop.run();
        assertEquals(List.of("connect null", "try_write UV_EAGAIN, queue 0"), events);
    }

    @Test
    void stopAndStartInsideTheReadCallbackKeepsReading() {
        // libuv's tcp_read_stop_start.
        pair((client, accepted) -> {
            accepted.write(b("a"));
            @SuppressWarnings("unchecked")
            org.pyuv4j.ReadCallback<TCP>[] onRead = new org.pyuv4j.ReadCallback[1];
            onRead[0] = (h, data, e) -> {
                ev(data != null ? new String(data, java.nio.charset.StandardCharsets.US_ASCII) : err(e));
                if (data != null && data[0] == 'a') {
                    h.stopRead();
                    h.startRead(onRead[0]);
                    accepted.write(b("b"), (w, we) -> w.close());
                } else if (data == null) {
                    h.close();
                }
            };
            client.startRead(onRead[0]);
        });
        loop.run();
        assertEquals(List.of("a", "b", "UV_EOF"), events);
    }

    @Test
    void aClosedListenersPortCanBeBoundAgainInItsCloseCallback() {
        // libuv closes the descriptor inside uv_close(): by the close callback the port is free, even
        // when close() was called after this iteration's poll (here: in the listen callback).
        int port = TcpSupport.unusedPort(loop);
        TCP first = new TCP(loop);
        first.bind(HOST, port);
        first.listen((h, e) -> {
            TCP conn = new TCP(loop);
            h.accept(conn);
            conn.close();
            h.close(x -> {
                TCP second = new TCP(loop);
                second.bind(HOST, port);
                second.listen((y, ye) -> ev("second listen cb"));
                ev("second listening");
                second.close();
            });
        });
        TCP c = new TCP(loop);
        c.connect(first.getsockname(), (h, e) -> h.close());
        loop.run();
        assertEquals(List.of("second listening"), events);
    }

    @Test
    void aListenerClosedInAPollPhaseCallbackHasFreedItsPortWhenRunReturns() {
        // pyuv's tests bind one fixed port, each with a new loop that ends when its handles are closed,
        // often from a read or listen callback.
        int port = TcpSupport.unusedPort(loop);
        TCP first = new TCP(loop);
        first.bind(HOST, port);
        first.listen((h, e) -> {
            TCP conn = new TCP(loop);
            h.accept(conn);
            conn.close();
            h.close();
        });
        TCP c = new TCP(loop);
        c.connect(first.getsockname(), (h, e) -> h.close());
        loop.run();
        Loop next = new Loop();
        TCP second = new TCP(next);
        second.bind(HOST, port);
        second.listen((h, e) -> ev("second listen cb")); // UV_EADDRINUSE if the first still listens
        ev("second listening");
        second.close();
        next.run();
        next.close();
        assertEquals(List.of("second listening"), events);
    }

    /** pyuv-spec §4.1 (verified): a family other than INET/INET6/unspecified is EINVAL; no handle is left. */
    @Test
    void unixFamilyIsEinval() {
        TCPError e = assertTcpError(Errno.UV_EINVAL, () -> new TCP(loop, StandardProtocolFamily.UNIX));
        assertEquals("invalid argument", e.getMessage());
        assertEquals(List.of(), loop.getHandles());
        loop.run();
    }

    // ============================================================ §3.6 readable / writable

    @Test
    void flagsOfFreshHandles() {
        for (StandardProtocolFamily f : new StandardProtocolFamily[] {null, StandardProtocolFamily.INET,
            StandardProtocolFamily.INET6}) {
            TCP t = new TCP(loop, f);
            assertFalse(t.isReadable(), "readable, family " + f);
            assertFalse(t.isWritable(), "writable, family " + f);
            t.close();
        }
        loop.run();
    }

    @Test
    void bindSetsReadableAndWritable() {
        TCP unspec = new TCP(loop);
        unspec.bind(HOST, 0);
        assertTrue(unspec.isReadable());
        assertTrue(unspec.isWritable());
        TCP inet6 = new TCP(loop, StandardProtocolFamily.INET6);
        inet6.bind("::1", 0);
        assertTrue(inet6.isReadable());
        assertTrue(inet6.isWritable());
        unspec.close();
        inet6.close();
        loop.run();
    }

    @Test
    void listenFlags() {
        StatusCallback<TCP> cb = (s, e) -> ev("listen cb");
        TCP unbound = new TCP(loop);
        unbound.listen(cb);
        assertTrue(unbound.isReadable(), "listen on an unbound handle: readable");
        assertFalse(unbound.isWritable(), "listen on an unbound handle: not writable");
        TCP early = new TCP(loop, StandardProtocolFamily.INET);
        early.listen(cb);
        assertTrue(early.isReadable());
        assertFalse(early.isWritable());
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        bound.listen(cb);
        assertTrue(bound.isReadable(), "listen on a bound handle: readable");
        assertTrue(bound.isWritable(), "listen on a bound handle: writable (bind set it)");
        unbound.close();
        early.close();
        bound.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.6 / §4.6 (verified): connect sets both flags at once; a failure keeps them. */
    @Test
    void connectFlagsWhileConnectingAndAfterFailure() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> {
            ev("connect " + err(e));
            assertTrue(h.isReadable());
            assertTrue(h.isWritable());
        });
        assertTrue(c.isReadable(), "readable right after connect()");
        assertTrue(c.isWritable(), "writable right after connect()");
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED"), events);
        assertTrue(c.isReadable());
        assertTrue(c.isWritable());
        c.close();
        loop.run();
        assertTrue(c.isReadable(), "close keeps the flags");
        assertTrue(c.isWritable(), "close keeps the flags");
    }

    /** pyuv-spec §3.6 (verified): EOF, shutdown, peer close and close leave readable/writable True. */
    @Test
    void flagsSurviveEofShutdownAndClose() {
        watchdog();
        TCP[] ends = new TCP[2];
        pair((c, conn) -> {
            ends[0] = c;
            ends[1] = conn;
            assertTrue(conn.isReadable(), "accepted: readable");
            assertTrue(conn.isWritable(), "accepted: writable");
            conn.startRead((h, data, e) -> {
                assertNull(data);
                assertTrue(h.isReadable(), "after EOF");
                assertTrue(h.isWritable(), "after EOF");
                h.close(x -> {
                    assertTrue(x.isReadable(), "in the close callback");
                    assertTrue(x.isWritable(), "in the close callback");
                    ev("conn closed");
                });
                assertTrue(h.isReadable(), "right after close()");
                assertTrue(h.isWritable(), "right after close()");
            });
            c.shutdown((h, e) -> {
                assertNull(e);
                assertTrue(h.isReadable(), "after shutdown");
                assertTrue(h.isWritable(), "shutdown does not clear writable (libuv 1.13)");
                h.startRead((hh, data, ee) -> {
                    assertNull(data);
                    assertEquals(Errno.UV_EOF, ee);
                    assertTrue(hh.isReadable(), "after the peer closed");
                    assertTrue(hh.isWritable(), "after the peer closed");
                    hh.close();
                    ev("client closed");
                });
            });
        });
        loop.run();
        assertEquals(List.of("conn closed", "client closed"), events);
        for (TCP t : ends) {
            assertTrue(t.isReadable(), "after the close callback");
            assertTrue(t.isWritable(), "after the close callback");
        }
    }

    // ============================================================ §4.4 / §4.5 listen and accept

    @Test
    void acceptWithNothingPendingIsEagain() {
        TCP srv = server(HOST, (s, e) -> ev("listen cb"));
        TCP target = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EAGAIN, () -> srv.accept(target));
        assertEquals("resource temporarily unavailable", e.getMessage());
        TCP notListening = new TCP(loop);
        assertTcpError(Errno.UV_EAGAIN, () -> notListening.accept(target));
        assertFalse(target.isReadable(), "a failed accept leaves the client untouched");
        assertTcpError(Errno.UV_EINVAL, target::getFamily);
        srv.close();
        target.close();
        notListening.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    @Test
    void secondAcceptInTheSameCallbackIsEagain() {
        watchdog();
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP first = new TCP(loop);
            s.accept(first);
            TCP second = new TCP(loop);
            assertTcpError(Errno.UV_EAGAIN, () -> s.accept(second));
            ev("second accept raised");
            first.close();
            second.close();
            s.close();
            c.close();
        });
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        loop.run();
        assertTrue(events.contains("second accept raised"), events::toString);
    }

    /** pyuv-spec §4.5 (verified): EBUSY, and the pending connection is closed and lost. */
    @Test
    void acceptIntoAHandleWithASocketIsEbusyAndLosesTheConnection() {
        watchdog();
        Integer[] clientEnd = new Integer[1];
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP busy = new TCP(loop, StandardProtocolFamily.INET);
            TCPError x = assertTcpError(Errno.UV_EBUSY, () -> s.accept(busy));
            assertEquals("resource busy or locked", x.getMessage());
            assertTcpError(Errno.UV_EAGAIN, () -> s.accept(new TCP(loop)));
            ev("listen cb");
            busy.close();
        });
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            h.startRead((hh, data, x) -> {
                assertNull(data, "the server never accepted: nothing can arrive");
                clientEnd[0] = x;
                hh.close();
                srv.close();
            });
        });
        loop.run();
        assertEquals(List.of("listen cb"), events);
        assertNotNull(clientEnd[0], "the lost connection must be closed: the client sees its end");
        assertTrue(clientEnd[0] == Errno.UV_EOF || clientEnd[0] == Errno.UV_ECONNRESET, err(clientEnd[0]));
    }

    /** pyuv-spec §4.4 (verified): without accept() no further listen callbacks; a late accept resumes them. */
    @Test
    void acceptFlowControl() {
        watchdog();
        int n = 5;
        List<TCP> clients = new ArrayList<>();
        List<TCP> accepted = new ArrayList<>();
        int[] listenCalls = {0};
        int[] connected = {0};
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        Runnable finish = () -> {
            accepted.forEach(TCP::close);
            clients.forEach(TCP::close);
            srv.close();
        };
        srv.listen((s, e) -> {
            assertNull(e);
            listenCalls[0]++;
            ev("listen " + listenCalls[0]);
            if (listenCalls[0] == 1) {
                return; // no accept: libuv stops polling the listen socket
            }
            TCP conn = new TCP(loop);
            s.accept(conn);
            accepted.add(conn);
            if (accepted.size() == n) {
                finish.run();
            }
        });
        Address address = srv.getsockname();
        for (int i = 0; i < n; i++) {
            TCP c = new TCP(loop);
            clients.add(c);
            c.connect(address, (h, e) -> {
                assertNull(e);
                if (++connected[0] == n) {
                    after(0.2, () -> {
                        ev("timer: " + listenCalls[0] + " listen callback(s)");
                        TCP conn = new TCP(loop);
                        srv.accept(conn);
                        accepted.add(conn);
                        ev("late accept returned");
                    });
                }
            });
        }
        loop.run();
        assertEquals(List.of("listen 1", "timer: 1 listen callback(s)", "late accept returned",
                "listen 2", "listen 3", "listen 4", "listen 5"), events);
    }

    /** pyuv-spec §4.4 (verified): listen without bind makes an AF_INET socket on 0.0.0.0:ephemeral. */
    @Test
    void listenWithoutBind() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.listen((s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        });
        Address a = srv.getsockname();
        assertEquals("0.0.0.0", a.host());
        assertTrue(a.port() > 0, a::toString);
        assertEquals(StandardProtocolFamily.INET, srv.getFamily());
        assertTrue(srv.isActive());
        TCP c = new TCP(loop);
        c.connect(HOST, a.port(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
        });
        loop.run();
        assertTrue(events.containsAll(List.of("accepted", "connect null")), events::toString);
    }

    /** pyuv-spec §4.4 (verified): negative backlog is a ValueError (checked before the callback); 0 is fine. */
    @Test
    void listenBacklog() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> srv.listen((s, x) -> ev("listen cb"), -1));
        assertEquals("backlog must be bigger than 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> srv.listen(null, -1));
        assertEquals("backlog must be bigger than 0", e.getMessage());
        assertFalse(srv.isActive());
        srv.listen((s, x) -> {
            assertNull(x);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        }, 0);
        assertTrue(srv.isActive());
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, x) -> {
            ev("connect " + err(x));
            h.close();
        });
        loop.run();
        assertTrue(events.containsAll(List.of("accepted", "connect null")), events::toString);
    }

    @Test
    void listenTwiceReplacesTheCallback() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        srv.listen((s, e) -> ev("first callback"));
        srv.listen((s, e) -> {
            ev("second callback");
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
            s.close();
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> h.close());
        loop.run();
        assertEquals(List.of("second callback"), events);
    }

    /** pyuv-spec §4.13: family is the socket's (getsockname's ss_family), accepted sockets included. */
    @Test
    void acceptedHandlesReportTheirFamily() {
        watchdog();
        List<StandardProtocolFamily> families = new ArrayList<>();
        for (String host : List.of(HOST, "::1")) {
            pair(host, (c, conn) -> {
                families.add(c.getFamily());
                families.add(conn.getFamily());
                c.close();
                conn.close();
            });
            loop.run();
        }
        assertEquals(List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET,
                StandardProtocolFamily.INET6, StandardProtocolFamily.INET6), families);
    }

    // ============================================================ §4.6 connect

    /** pyuv-spec §4.6 (verified): ECONNREFUSED is never raised; it arrives in the callback; the handle stays open. */
    @Test
    void econnrefusedArrivesInTheCallback() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        after(0.001, () -> {
            TCP c = new TCP(loop);
            c.connect(HOST, port, (h, e) -> {
                ev("connect " + err(e));
                assertEquals("connection refused", Errno.strerror(e));
                assertFalse(h.isClosed(), "a failed connect does not close the handle");
                assertFalse(h.isActive());
                h.close();
            });
            ev("connect returned");
        });
        loop.run();
        assertEquals(List.of("connect returned", "connect UV_ECONNREFUSED"), events);
    }

    /** pyuv-spec §4.6 (verified): port 0 is refused too, in the callback. */
    @Test
    void connectToPortZeroIsRefusedInTheCallback() {
        watchdog();
        TCP c = new TCP(loop);
        c.connect(HOST, 0, (h, e) -> {
            ev("connect " + err(e));
            h.close();
        });
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED"), events);
    }

    @Test
    void secondConnectWhilePendingIsEalready() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("first " + err(e));
            h.close();
            srv.close();
        });
        TCPError e = assertTcpError(Errno.UV_EALREADY, () -> c.connect(srv.getsockname(), (h, x) -> ev("second")));
        assertEquals("connection already in progress", e.getMessage());
        loop.run();
        assertEquals(List.of("first null"), events);
    }

    @Test
    void ipv6AddressOnAnInetHandleIsEafnosupport() {
        TCP c = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_EAFNOSUPPORT, () -> c.connect("::1", 9, (h, x) -> ev("connect cb")));
        assertEquals("address family not supported", e.getMessage());
        c.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §4.6 (verified Linux quirk): the first re-connect succeeds (callback None), the next is EISCONN. */
    @Test
    void reconnectQuirkThenEisconn() {
        watchdog();
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.startRead((h, d, x) -> h.close());
            s.close();
        });
        Address address = srv.getsockname();
        TCP c = new TCP(loop);
        c.connect(address, (h, e) -> {
            ev("connect 1 " + err(e));
            h.connect(address, (h2, e2) -> {
                ev("connect 2 " + err(e2));
                TCPError x = assertTcpError(Errno.UV_EISCONN, () -> h2.connect(address, (h3, e3) -> ev("connect 3")));
                assertEquals("socket is already connected", x.getMessage());
                ev("connect 3 raised");
                h2.close();
            });
            ev("connect 2 returned");
        });
        loop.run();
        assertEquals(List.of("connect 1 null", "connect 2 returned", "connect 2 null", "connect 3 raised"), events);
    }

    /**
     * Follows from Linux and libuv 1.13 (not a probe of pyuv-spec): an accepted socket is already
     * SS_CONNECTED, so connect(2) on it says EISCONN at once and uv_tcp_connect returns it.
     */
    @Test
    void connectOnAnAcceptedHandleIsEisconn() {
        watchdog();
        pair((c, conn) -> {
            assertTcpError(Errno.UV_EISCONN, () -> conn.connect(c.getsockname(), (h, e) -> ev("connect cb " + err(e))));
            ev("raised");
            c.close();
            conn.close();
        });
        loop.run();
        assertEquals(List.of("raised"), events);
    }

    /** pyuv-spec §4.6 / §3.3 (verified): writes queued while connecting are cancelled right after a failed connect. */
    @Test
    void failedConnectCancelsQueuedWritesAndLeavesTheHandleOpen() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> ev("connect " + err(e)));
        c.write(b("abc"), (h, e) -> ev("write " + err(e)));
        assertEquals(3, c.getWriteQueueSize(), "write_queue_size while connecting");
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED", "write UV_ECANCELED"), events);
        assertFalse(c.isClosed());
        assertTrue(c.isReadable());
        assertTrue(c.isWritable());
        assertEquals(0, c.getWriteQueueSize());
        c.close();
        loop.run();
    }

    /** pyuv-spec §3.3 (verified order): connect cb, then write cb, then shutdown cb; the peer gets the data then EOF. */
    @Test
    void writesQueuedWhileConnectingAreFlushedAfterConnect() {
        watchdog();
        List<String> serverEvents = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            conn.startRead((h, data, x) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                serverEvents.add(got.toString(StandardCharsets.ISO_8859_1) + " then " + err(x));
                h.close();
            });
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        assertFalse(c.isActive(), "connecting does not make the handle active");
        c.write(b("abc"), (h, e) -> ev("write " + err(e)));
        assertEquals(3, c.getWriteQueueSize());
        c.shutdown((h, e) -> {
            ev("shutdown " + err(e));
            h.close();
        });
        loop.run();
        assertEquals(List.of("connect null", "write null", "shutdown null"), events);
        assertEquals(List.of("abc then UV_EOF"), serverEvents);
    }

    /**
     * libuv 1.13 calls connect(2) inside uv_tcp_connect, so an unbound handle has its ephemeral
     * port as soon as connect() returns (pyuv-spec §4.6: connecting binds implicitly), whether the
     * loop is running or not.
     */
    @Test
    @DisabledIfSystemProperty(named = "pyuv4j.transport", matches = "nio", disabledReason = "NIO limitation "
            + "(docs/COMPATIBILITY.md): during a pending connect NioTransport.localAddress returns SocketChannel.getLocalAddress(), which the "
            + "JDK refreshes only when the connect completes, so getsockname() says ('0.0.0.0', 0)")
    void connectBindsImplicitlyToAnEphemeralPortFromInsideTheLoop() {
        watchdog();
        TCP srv = closingServer();
        Address address = srv.getsockname();
        after(0.001, () -> {
            TCP c = new TCP(loop);
            assertTcpError(Errno.UV_EINVAL, c::getsockname);
            c.connect(address, (h, e) -> {
                assertNull(e);
                Address local = h.getsockname();
                assertEquals(HOST, local.host());
                assertTrue(local.port() > 0);
                ev("connected");
                h.close();
                srv.close();
            });
            Address early = c.getsockname();
            ev("right after connect(): " + early.host() + (early.port() > 0 ? " ephemeral" : " port 0"));
        });
        loop.run();
        assertEquals(List.of("right after connect(): 127.0.0.1 ephemeral", "connected"), events);
    }

    /** As above, with connect() called before the loop runs (as pyuv's tests do). */
    @Test
    @DisabledIfSystemProperty(named = "pyuv4j.transport", matches = "nio", disabledReason = "NIO limitation "
            + "(docs/COMPATIBILITY.md): the JDK reports the local address of a connecting socket only once connected")
    void connectBindsImplicitlyToAnEphemeralPortBeforeTheLoopRuns() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
            srv.close();
        });
        Address early = c.getsockname();
        ev("right after connect(): " + early.host() + (early.port() > 0 ? " ephemeral" : " port 0"));
        loop.run();
        assertEquals(List.of("right after connect(): 127.0.0.1 ephemeral", "connect null"), events);
    }

    /** pyuv-spec §1.10 / §11.7 (verified): only reading and listening make a TCP handle active. */
    @Test
    void activeOnlyWhileReadingOrListening() {
        watchdog();
        TCP srv = closingServer();
        assertTrue(srv.isActive(), "listening");
        TCP c = new TCP(loop);
        assertFalse(c.isActive());
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            assertFalse(h.isActive(), "connected, not reading");
            h.startRead((x, d, y) -> { });
            assertTrue(h.isActive(), "reading");
            h.stopRead();
            assertFalse(h.isActive(), "stopped");
            ev("checked");
            h.close();
            srv.close();
        });
        assertFalse(c.isActive(), "connecting");
        loop.run();
        assertEquals(List.of("checked"), events);
    }

    /** pyuv-spec §1.5 / §11.7 (verified): requests keep the loop alive even on unreferenced handles. */
    @Test
    void requestsOnUnreferencedHandlesKeepTheLoopAlive() {
        watchdog();
        TCP srv = closingServer();
        srv.setRef(false);
        TCP c = new TCP(loop);
        c.setRef(false);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.write(b("x"), (hh, x) -> {
                ev("write " + err(x));
                hh.close();
                srv.close();
            });
        });
        loop.run();
        assertEquals(List.of("connect null", "write null"), events);
    }

    // ============================================================ §3.3 write

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

    /** pyuv-spec §3.3: b'' and [b''] are zero-length write requests whose callbacks still fire, in order. */
    @Test
    void emptyWritesStillCompleteInOrder() {
        watchdog();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                ev("peer eof");
                h.close();
            });
            c.write(b("a"), (h, e) -> ev("a " + err(e)));
            c.write(new byte[0], (h, e) -> ev("empty bytes " + err(e)));
            c.write(List.of(new byte[0]), (h, e) -> ev("empty list item " + err(e)));
            c.write(ByteBuffer.allocate(0), (h, e) -> ev("empty buffer " + err(e)));
            c.write(Unpooled.buffer(0), (h, e) -> ev("empty ByteBuf " + err(e)));
            c.write(b("b"), (h, e) -> ev("b " + err(e)));
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("a null", "empty bytes null", "empty list item null", "empty buffer null",
                "empty ByteBuf null", "b null", "shutdown null", "peer eof"), events);
        assertEquals("ab", got.toString(StandardCharsets.ISO_8859_1));
    }

    /** pyuv-spec §3.6: write_queue_size is 0 when the write went out at once. */
    @Test
    void smallWriteOnAConnectedStreamIsNotQueued() {
        watchdog();
        pair((c, conn) -> {
            c.write(b("hello"), (h, e) -> ev("write " + err(e)));
            assertEquals(0, c.getWriteQueueSize());
            ev("checked");
            after(0.05, () -> {
                c.close();
                conn.close();
            });
        });
        loop.run();
        assertEquals(List.of("checked", "write null"), events);
    }

    /** pyuv-spec §3.6 / §1.10 (verified): the queue grows under back-pressure, without making the handle active, and drains. */
    @Test
    void writeQueueGrowsUnderBackPressureAndDrains() {
        watchdog();
        long[] received = {0};
        int[] callbacks = {0};
        pair((c, conn) -> {
            int[] total = {0};
            total[0] = fillWriteQueue(c, (h, e) -> {
                assertNull(e, () -> "write: " + err(e));
                if (++callbacks[0] == total[0]) {
                    ev("drained, write_queue_size " + h.getWriteQueueSize());
                    h.shutdown((hh, x) -> hh.close());
                }
            });
            long queued = c.getWriteQueueSize();
            assertTrue(queued > 0 && queued <= (long) total[0] * (64 << 10), () -> "queued " + queued);
            assertFalse(c.isActive(), "pending writes do not make a TCP handle active");
            ev("queued");
            after(0.05, () -> {
                assertTrue(c.getWriteQueueSize() > 0, "nothing drains while the peer does not read");
                conn.startRead((h, data, e) -> {
                    if (data != null) {
                        received[0] += data.length;
                        return;
                    }
                    assertEquals((long) total[0] * (64 << 10), received[0], "the peer gets every byte");
                    ev("peer eof");
                    h.close();
                });
            });
        });
        loop.run();
        assertEquals(List.of("queued", "drained, write_queue_size 0", "peer eof"), events);
    }

    @Test
    void writeCallbacksAreFifo() {
        watchdog();
        List<Integer> order = new ArrayList<>();
        pair((c, conn) -> {
            conn.startRead((h, d, e) -> {
                if (d == null) {
                    h.close();
                }
            });
            Random r = new Random(7);
            for (int i = 0; i < 50; i++) {
                int n = i;
                c.write(new byte[r.nextInt(200_000)], (h, e) -> {
                    assertNull(e);
                    order.add(n);
                });
            }
            c.shutdown((h, e) -> h.close());
        });
        loop.run();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    // ============================================================ §3.4 try_write

    @Test
    void tryWriteWhileConnectingIsEagain() {
        watchdog();
        TCP srv = closingServer();
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
            srv.close();
        });
        TCPError e = assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(b("x")));
        assertEquals("resource temporarily unavailable", e.getMessage());
        assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(ByteBuffer.wrap(b("x"))));
        assertEquals(0, c.getWriteQueueSize(), "try_write never queues");
        loop.run();
        assertEquals(List.of("connect null"), events);
    }

    /** pyuv-spec §3.4 (verified): EAGAIN while write_queue_size != 0. */
    @Test
    void tryWriteWithQueuedWritesIsEagain() {
        watchdog();
        pair((c, conn) -> {
            fillWriteQueue(c, null);
            long queued = c.getWriteQueueSize();
            assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(b("x")));
            assertEquals(queued, c.getWriteQueueSize());
            ev("raised");
            c.close();
            conn.close();
        });
        loop.run();
        assertEquals(List.of("raised"), events);
    }

    /** pyuv-spec §3.4 (verified): partial counts, then EAGAIN; nothing queued; the counts are what the peer gets. */
    @Test
    void tryWriteReturnsPartialCountsThenEagain() {
        watchdog();
        long[] written = {0};
        long[] received = {0};
        List<Integer> results = new ArrayList<>();
        pair((c, conn) -> {
            byte[] big = new byte[1_000_000];
            TCPError last = null;
            for (int i = 0; i < 10_000; i++) {
                try {
                    int r = c.tryWrite(big);
                    assertTrue(r > 0 && r <= big.length, "try_write returned " + r);
                    results.add(r);
                    written[0] += r;
                } catch (TCPError e) {
                    last = e;
                    break;
                }
            }
            assertNotNull(last, "try_write never said EAGAIN to a peer that does not read");
            assertEquals(Errno.UV_EAGAIN, last.errno(), last::toString);
            assertTrue(results.stream().anyMatch(r -> r < big.length), () -> "no partial count: " + results);
            assertEquals(0, c.getWriteQueueSize(), "try_write never queues");
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    received[0] += data.length;
                    return;
                }
                ev("peer eof");
                h.close();
            });
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("shutdown null", "peer eof"), events);
        assertEquals(written[0], received[0], "the peer gets exactly the bytes try_write reported");
    }

    @Test
    void tryWriteReturnsByteCountsAndZeroForEmptyData() {
        watchdog();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            assertEquals(0, c.tryWrite(new byte[0]));
            assertEquals(0, c.tryWrite(ByteBuffer.allocate(0)));
            assertEquals(2, c.tryWrite(b("hi")));
            ByteBuffer bb = ByteBuffer.wrap(b("--xyz"), 2, 3);
            assertEquals(3, c.tryWrite(bb));
            assertEquals(2, bb.position(), "try_write does not move the buffer's position");
            c.shutdown((h, e) -> h.close());
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                ev("peer got " + got.toString(StandardCharsets.ISO_8859_1));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("peer got hixyz"), events);
    }

    /** pyuv-spec §3.4 (verified): no peer: EAGAIN (libuv 1.13 quirk); no socket: EBADF. */
    @Test
    void tryWriteWithoutPeerOrSocket() {
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_EAGAIN, () -> inet.tryWrite(b("x")));
        assertTcpError(Errno.UV_EAGAIN, () -> inet.tryWrite(ByteBuffer.wrap(b("x"))));
        TCP none = new TCP(loop);
        assertTcpError(Errno.UV_EBADF, () -> none.tryWrite(b("x")));
        assertTcpError(Errno.UV_EBADF, () -> none.tryWrite(ByteBuffer.wrap(b("x"))));
        inet.close();
        none.close();
        loop.run();
    }

    // ============================================================ §3.5 shutdown

    /** pyuv-spec §3.5 (verified): ENOTCONN when not writable. */
    @Test
    void shutdownWithoutAWritableStreamIsEnotconn() {
        TCP fresh = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_ENOTCONN, fresh::shutdown);
        assertEquals("socket is not connected", e.getMessage());
        TCP inet = new TCP(loop, StandardProtocolFamily.INET);
        assertTcpError(Errno.UV_ENOTCONN, () -> inet.shutdown((h, x) -> ev("shutdown cb")));
        TCP listener = new TCP(loop);
        listener.listen((s, x) -> ev("listen cb"));
        assertTcpError(Errno.UV_ENOTCONN, () -> listener.shutdown((h, x) -> ev("shutdown cb")));
        fresh.close();
        inet.close();
        listener.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.5 (verified): a bound listener is writable: shutdown is accepted, its callback comes at close with ECANCELED. */
    @Test
    void shutdownOnABoundListenerCompletesOnlyAtClose() {
        TCP srv = server(HOST, (s, e) -> ev("listen cb"));
        srv.shutdown((h, e) -> ev("shutdown " + err(e)));
        after(0.1, () -> {
            ev("timer");
            srv.close(h -> ev("close"));
        });
        loop.run();
        assertEquals(List.of("timer", "shutdown UV_ECANCELED", "close"), events);
    }

    /** pyuv-spec §3.5 (verified): a second shutdown raises ENOTCONN, pending or done. */
    @Test
    void secondShutdownIsEnotconn() {
        watchdog();
        pair((c, conn) -> {
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                assertTcpError(Errno.UV_ENOTCONN, () -> h.shutdown((x, y) -> ev("third shutdown cb")));
                ev("third raised");
                h.close();
                conn.close();
            });
            assertTcpError(Errno.UV_ENOTCONN, () -> c.shutdown((x, y) -> ev("second shutdown cb")));
            ev("second raised");
        });
        loop.run();
        assertEquals(List.of("second raised", "shutdown null", "third raised"), events);
    }

    /** pyuv-spec §3.5: shutdown waits for the queued writes; the peer gets every byte, then EOF. */
    @Test
    void shutdownWaitsForQueuedWrites() {
        watchdog();
        byte[] data = new byte[4 << 20];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            for (int i = 0; i < 4; i++) {
                int n = i;
                c.write(java.util.Arrays.copyOfRange(data, i << 20, (i + 1) << 20), (h, e) -> ev("write " + n + " " + err(e)));
            }
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
            assertTrue(c.getWriteQueueSize() > 0, "4 MiB to a peer that is not reading yet must queue");
            conn.startRead((h, d, e) -> {
                if (d != null) {
                    got.writeBytes(d);
                    return;
                }
                assertEquals(data.length, got.size(), "EOF only after all bytes");
                ev("peer eof " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("write 0 null", "write 1 null", "write 2 null", "write 3 null", "shutdown null"),
                events.subList(0, 5));
        assertTrue(events.contains("peer eof UV_EOF"), events::toString);
        assertArrayEquals(data, got.toByteArray());
    }

    /** pyuv-spec §3.5: half-close both ways; reading goes on after our own shutdown. */
    @Test
    void halfCloseBothWays() {
        watchdog();
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                assertNull(data, "the client sends nothing");
                ev("server eof " + err(e));
                h.write(b("late"), (x, y) -> ev("server write " + err(y)));
                h.shutdown((x, y) -> ev("server shutdown " + err(y)));
            });
            c.startRead((h, data, e) -> {
                if (data != null) {
                    ev("client read " + str(data));
                    return;
                }
                ev("client eof " + err(e));
                h.close();
                conn.close();
            });
            c.shutdown((h, e) -> ev("client shutdown " + err(e)));
        });
        loop.run();
        assertEquals(List.of("client shutdown null", "server eof UV_EOF", "server write null", "server shutdown null",
                "client read late", "client eof UV_EOF"), events);
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

    // ============================================================ §4.8 / §4.13 names and family

    @Test
    void familyAndNamesWithoutSocketAreEinval() {
        TCP t = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EINVAL, t::getFamily);
        assertEquals("invalid argument", e.getMessage());
        assertTcpError(Errno.UV_EINVAL, t::getsockname);
        assertTcpError(Errno.UV_EINVAL, t::getpeername);
        t.close();
        loop.run();
    }

    /** pyuv-spec §4.8 (verified). */
    @Test
    void getsocknameOfUnboundEarlySockets() {
        TCP v4 = new TCP(loop, StandardProtocolFamily.INET);
        assertEquals(Address.of("0.0.0.0", 0), v4.getsockname());
        TCP v6 = new TCP(loop, StandardProtocolFamily.INET6);
        assertEquals(Address.of("::", 0, 0, 0), v6.getsockname());
        v4.close();
        v6.close();
        loop.run();
    }

    /** pyuv-spec §4.8 (verified): getpeername without a peer is ENOTCONN. */
    @Test
    void getpeernameWithoutPeerIsEnotconn() {
        TCP early = new TCP(loop, StandardProtocolFamily.INET);
        TCPError e = assertTcpError(Errno.UV_ENOTCONN, early::getpeername);
        assertEquals("socket is not connected", e.getMessage());
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        assertTcpError(Errno.UV_ENOTCONN, bound::getpeername);
        TCP listening = server(HOST, (s, x) -> ev("listen cb"));
        assertTcpError(Errno.UV_ENOTCONN, listening::getpeername);
        early.close();
        bound.close();
        listening.close();
        loop.run();
        assertEquals(List.of(), events);
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
