package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Address;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Errno;
import org.pyuv4j.Handle;
import org.pyuv4j.HandleCallback;
import org.pyuv4j.Idle;
import org.pyuv4j.Loop;
import org.pyuv4j.Prepare;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.error.TimerError;
import org.pyuv4j.error.UVError;

/**
 * Bad input, table-driven: every public method with null, negative, out-of-range and otherwise
 * invalid arguments, and calls made in the wrong state. Each row asserts the exception type and the
 * errno or message that pyuv-spec.md / API.md give (Python's TypeError/ValueError/OverflowError are
 * IllegalArgumentException with pyuv's text, a null is a NullPointerException), and then that the
 * object is still usable where pyuv's is: after a rejected write a valid write works and the peer
 * receives only the valid bytes; after a rejected bind a valid bind works; after a rejected timer
 * start a valid start fires; and so on.
 */
class BadInputTest extends ReliabilityTestCase {
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    private static final String INVALID_IP = "invalid IP address";
    private static final String BAD_PORT = "port must be 0-65535";
    private static final String BAD_FLOWINFO = "flowinfo must be 0-1048575";
    private static final String BAD_BACKLOG = "backlog must be bigger than 0";
    private static final String NEGATIVE_TIME = "a positive value or zero is required";
    private static final StatusCallback<TCP> NO_STATUS = (h, e) -> { };

    /** One row: performs the bad call (asserting how it fails) and checks what must still work. */
    @FunctionalInterface
    interface Case {
        void run(BadInputTest t) throws Throwable;
    }

    private static Arguments row(String call, Case c) {
        return Arguments.of(call, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputIsRejectedAndTheObjectStaysUsable(String call, Case c) throws Throwable {
        watchdog(15);
        c.run(this);
    }

    // ------------------------------------------------------------------ assertions

    /** Asserts that {@code call} throws exactly {@code type}; @return it. */
    <T extends Throwable> T rejects(Class<T> type, Executable call) {
        T e = assertThrows(type, call);
        assertSame(type, e.getClass(), () -> "exception type: " + e);
        return e;
    }

    void npe(Executable call) {
        rejects(NullPointerException.class, call);
    }

    void iae(String message, Executable call) {
        assertEquals(message, rejects(IllegalArgumentException.class, call).getMessage());
    }

    void tcpError(int errno, Executable call) {
        TCPError e = rejects(TCPError.class, call);
        assertEquals(errno, e.errno(), () -> "errno " + Errno.errorcode(e.errno()) + " instead of " + Errno.errorcode(errno));
        assertEquals(Errno.strerror(errno), e.getMessage());
    }

    void closed(Executable call) {
        HandleClosedError e = rejects(HandleClosedError.class, call);
        assertEquals("Handle is closing/closed", e.getMessage());
        assertEquals(0, e.errno());
    }

    // ------------------------------------------------------------------ fixture

    private TCP client;
    private TCP peer;
    private final ByteArrayOutputStream peerData = new ByteArrayOutputStream();
    private final ByteArrayOutputStream clientData = new ByteArrayOutputStream();

    void runUntil(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what + "; events " + events);
            }
            loop.run(RunMode.ONCE);
        }
    }

    /** A connected client whose peer records everything it receives. */
    TCP connected() {
        TCP srv = server((s, e) -> {
            assertNull(e);
            peer = new TCP(loop);
            s.accept(peer);
            s.close();
            peer.startRead((h, data, re) -> {
                if (data != null) {
                    peerData.writeBytes(data);
                } else {
                    ev("peer read " + err(re));
                }
            });
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            client = h;
        });
        runUntil("connected", () -> client != null && peer != null);
        return client;
    }

    /** A valid write still works, and the peer got exactly it: nothing of the rejected call was sent. */
    void validWriteStillWorks() {
        boolean[] written = {false};
        client.write(OK, (h, e) -> {
            assertNull(e);
            written[0] = true;
        });
        runUntil("the valid write", () -> written[0] && peerData.size() >= OK.length);
        assertEquals("ok", peerData.toString(StandardCharsets.US_ASCII), "the peer received only the valid write");
    }

    /** A valid bind still works and the handle can listen and accept. */
    void validBindStillWorks(TCP h) {
        h.bind(HOST, 0);
        listenStillWorks(h);
    }

    void listenStillWorks(TCP h) {
        TCP[] accepted = {null};
        h.listen((s, e) -> {
            assertNull(e);
            accepted[0] = new TCP(loop);
            s.accept(accepted[0]);
        });
        connectionIsAccepted(h, accepted);
    }

    void connectionIsAccepted(TCP server, TCP[] accepted) {
        TCP c = new TCP(loop);
        boolean[] connected = {false};
        c.connect(server.getsockname(), (x, e) -> {
            assertNull(e);
            connected[0] = true;
        });
        runUntil("a connection to the server", () -> connected[0] && accepted[0] != null);
    }

    /** A valid connect from this handle still works. */
    void validConnectStillWorks(TCP h) {
        TCP srv = server((s, e) -> s.accept(new TCP(loop)));
        Integer[] result = {Errno.UV_EOF};
        h.connect(srv.getsockname(), (x, e) -> result[0] = e == null ? 0 : e);
        runUntil("the valid connect", () -> result[0] != Errno.UV_EOF);
        assertEquals(0, result[0], () -> "connect " + err(result[0]));
    }

    void timerStillFires(Timer t) {
        boolean[] fired = {false};
        loop.updateTime();
        t.start(x -> fired[0] = true, 0.001, 0);
        runUntil("the timer", () -> fired[0]);
    }

    <H extends Handle<H>> void watcherStillFires(H h, java.util.function.Consumer<HandleCallback<H>> start) {
        boolean[] fired = {false};
        start.accept(x -> fired[0] = true);
        loop.run(RunMode.NOWAIT); // idle, prepare and check all run in one iteration (ONCE would then block in poll)
        assertTrue(fired[0], "the watcher fired");
    }

    void loopStillRuns() {
        boolean[] ran = {false};
        loop.execute(() -> ran[0] = true);
        runUntil("a task", () -> ran[0]);
    }

    int handles() {
        return loop.getHandles().size();
    }

    // ------------------------------------------------------------------ the table

    static Stream<Arguments> rows() {
        List<Arguments> r = new ArrayList<>();

        // ---- Loop
        r.add(row("new Loop(null)", t -> t.npe(() -> new Loop(null))));
        r.add(row("new Loop(\"bogus\")", t -> {
            UVError e = t.rejects(UVError.class, () -> new Loop("bogus"));
            assertEquals(Errno.UV_ENOTSUP, e.errno());
            assertEquals(Errno.strerror(Errno.UV_ENOTSUP), e.getMessage());
        }));
        r.add(row("Loop.run(null)", t -> {
            t.npe(() -> t.loop.run(null));
            t.loopStillRuns();
        }));
        r.add(row("Loop.queueWork(null)", t -> {
            t.npe(() -> t.loop.queueWork(null));
            t.npe(() -> t.loop.queueWork(null, e -> { }));
            boolean[] done = {false};
            t.loop.queueWork(() -> { }, e -> done[0] = true);
            t.runUntil("valid work", () -> done[0]);
        }));
        r.add(row("Loop.execute(null)", t -> {
            t.npe(() -> t.loop.execute(null));
            t.loopStillRuns();
        }));

        // ---- constructors
        r.add(row("new TCP(null)", t -> t.npe(() -> new TCP(null))));
        r.add(row("new TCP(null, INET)", t -> t.npe(() -> new TCP(null, StandardProtocolFamily.INET))));
        r.add(row("new Timer(null)", t -> t.npe(() -> new Timer(null))));
        r.add(row("new Async(null, cb)", t -> t.npe(() -> new Async(null, a -> { }))));
        r.add(row("new Idle(null)", t -> t.npe(() -> new Idle(null))));
        r.add(row("new Prepare(null)", t -> t.npe(() -> new Prepare(null))));
        r.add(row("new Check(null)", t -> t.npe(() -> new Check(null))));
        r.add(row("new TCP(loop, UNIX)", t -> {
            int before = t.handles();
            t.tcpError(Errno.UV_EINVAL, () -> new TCP(t.loop, StandardProtocolFamily.UNIX));
            assertEquals(before, t.handles(), "a failed constructor leaves no handle behind");
            t.validBindStillWorks(new TCP(t.loop));
        }));

        // ---- Address (and every call taking a host string)
        r.add(row("Address.of(null, 80)", t -> t.npe(() -> Address.of(null, 80))));
        for (String bad : List.of("localhost", "example.com", "1.2.3", "256.0.0.1", "1.2.3.4.5", "01.2.3.4", " 127.0.0.1",
                "127.0.0.1 ", "::g", ":::", "[::1]", "1.2.3.4:80", "127.0.0.1\0")) {
            r.add(row("Address.of(\"" + bad.replace("\0", "\\0") + "\", 80)", t -> t.iae(INVALID_IP, () -> Address.of(bad, 80))));
        }
        for (int port : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            r.add(row("Address.of(HOST, " + port + ")", t -> t.iae(BAD_PORT, () -> Address.of(HOST, port))));
        }
        for (int flowinfo : new int[] {-1, 0x100000}) {
            r.add(row("Address.of(\"::1\", 0, " + flowinfo + ", 0)",
                    t -> t.iae(BAD_FLOWINFO, () -> Address.of("::1", 0, flowinfo, 0))));
        }

        // ---- TCP.bind
        r.add(row("TCP.bind(null)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.bind((Address) null));
            t.npe(() -> h.bind((Address) null, 0));
            t.npe(() -> h.bind((String) null, 0));
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP.bind(\"localhost\", 0)", t -> {
            TCP h = new TCP(t.loop);
            t.iae(INVALID_IP, () -> h.bind("localhost", 0));
            t.tcpError(Errno.UV_EINVAL, h::getsockname); // rejected before any socket was made
            t.validBindStillWorks(h);
        }));
        for (int port : new int[] {-1, 65536}) {
            r.add(row("TCP.bind(HOST, " + port + ")", t -> {
                TCP h = new TCP(t.loop);
                t.iae(BAD_PORT, () -> h.bind(HOST, port));
                t.validBindStillWorks(h);
            }));
        }
        r.add(row("TCP.bind(IPv4 address, IPV6ONLY)", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(Address.of(HOST, 0), TCP.IPV6ONLY));
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP.bind twice", t -> {
            TCP h = new TCP(t.loop);
            h.bind(HOST, 0);
            Address first = h.getsockname();
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(HOST, 0));
            assertEquals(first, h.getsockname(), "still bound to the first address");
            t.listenStillWorks(h);
        }));
        r.add(row("TCP(INET).bind(IPv6 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET);
            t.tcpError(Errno.UV_ENOPROTOOPT, () -> h.bind("::1", 0));
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP(INET6).bind(IPv4 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET6);
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(HOST, 0));
            h.bind("::1", 0);
            t.listenStillWorks(h);
        }));

        // ---- TCP.listen
        r.add(row("TCP.listen(null)", t -> {
            TCP h = new TCP(t.loop);
            h.bind(HOST, 0);
            t.npe(() -> h.listen(null));
            t.npe(() -> h.listen(null, 5));
            t.listenStillWorks(h);
        }));
        for (int backlog : new int[] {-1, Integer.MIN_VALUE}) {
            r.add(row("TCP.listen(cb, " + backlog + ")", t -> {
                TCP h = new TCP(t.loop);
                h.bind(HOST, 0);
                t.iae(BAD_BACKLOG, () -> h.listen(NO_STATUS, backlog));
                t.iae(BAD_BACKLOG, () -> h.listen(null, backlog)); // the backlog is checked first (pyuv-spec §4.4)
                t.listenStillWorks(h);
            }));
        }

        // ---- TCP.accept
        r.add(row("TCP.accept(null)", t -> {
            TCP[] accepted = {null};
            boolean[] rejected = {false};
            TCP srv = t.server((s, e) -> {
                t.npe(() -> s.accept(null));
                rejected[0] = true;
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]); // the connection is still pending: a valid accept takes it
            });
            t.connectionIsAccepted(srv, accepted);
            assertTrue(rejected[0]);
        }));
        r.add(row("TCP.accept with nothing pending", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_EAGAIN, () -> srv.accept(new TCP(t.loop)));
            t.connectionIsAccepted(srv, accepted);
        }));
        r.add(row("TCP.accept on a handle that does not listen", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EAGAIN, () -> h.accept(new TCP(t.loop)));
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP.accept(client of another loop)", t -> {
            try (Loop other = new Loop(t.loop.getTransport())) {
                TCP foreign = new TCP(other);
                TCP[] accepted = {null};
                boolean[] rejected = {false};
                TCP srv = t.server((s, e) -> {
                    t.iae("client belongs to another loop", () -> s.accept(foreign));
                    rejected[0] = true;
                    accepted[0] = new TCP(t.loop);
                    s.accept(accepted[0]);
                });
                t.connectionIsAccepted(srv, accepted);
                assertTrue(rejected[0]);
                foreign.close();
                other.run();
            }
        }));

        // ---- TCP.connect
        r.add(row("TCP.connect(null, cb)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.connect((Address) null, NO_STATUS));
            t.npe(() -> h.connect(null, 1, NO_STATUS));
            t.validConnectStillWorks(h);
        }));
        r.add(row("TCP.connect(address, null)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.connect(Address.of(HOST, 1), null));
            t.npe(() -> h.connect(HOST, 1, null));
            t.validConnectStillWorks(h);
        }));
        r.add(row("TCP.connect(\"localhost\", port, cb)", t -> {
            TCP h = new TCP(t.loop);
            t.iae(INVALID_IP, () -> h.connect("localhost", 1, NO_STATUS));
            t.validConnectStillWorks(h);
        }));
        for (int port : new int[] {-1, 65536}) {
            r.add(row("TCP.connect(HOST, " + port + ", cb)", t -> {
                TCP h = new TCP(t.loop);
                t.iae(BAD_PORT, () -> h.connect(HOST, port, NO_STATUS));
                t.validConnectStillWorks(h);
            }));
        }
        r.add(row("TCP.connect while connecting", t -> {
            TCP srv = t.server((s, e) -> s.accept(new TCP(t.loop)));
            TCP h = new TCP(t.loop);
            Integer[] first = {Errno.UV_EOF};
            h.connect(srv.getsockname(), (x, e) -> first[0] = e == null ? 0 : e);
            t.tcpError(Errno.UV_EALREADY, () -> h.connect(srv.getsockname(), (x, e) -> t.ev("second connect callback")));
            t.runUntil("the first connect", () -> first[0] != Errno.UV_EOF);
            assertEquals(0, first[0], "the first connect completes");
            assertEquals(List.of(), t.events, "the rejected connect has no callback");
        }));
        r.add(row("TCP(INET).connect(IPv6 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET);
            t.tcpError(Errno.UV_EAFNOSUPPORT, () -> h.connect("::1", 1, NO_STATUS));
            t.validConnectStillWorks(h);
        }));
        r.add(row("TCP.connect on a listening handle", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_EISCONN, () -> srv.connect(HOST, 1, NO_STATUS));
            t.connectionIsAccepted(srv, accepted);
        }));

        // ---- TCP reads
        r.add(row("TCP.startRead(null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.startRead(null));
            t.npe(() -> c.startReadBuf(null));
            c.startRead((h, data, e) -> t.clientData.writeBytes(data));
            t.peer.write(OK);
            t.runUntil("data read after the rejected calls", () -> t.clientData.size() == OK.length);
        }));
        r.add(row("TCP.startRead without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_ENOTCONN, () -> h.startRead((x, d, e) -> t.ev("read")));
            t.tcpError(Errno.UV_ENOTCONN, () -> h.startReadBuf((x, d, e) -> t.ev("read")));
            assertTrue(!h.isActive(), "not reading");
            t.validBindStillWorks(h);
        }));

        // ---- TCP writes
        r.add(row("TCP.write((byte[]) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((byte[]) null));
            t.npe(() -> c.write((byte[]) null, NO_STATUS));
            t.validWriteStillWorks();
        }));
        r.add(row("TCP.write((ByteBuffer) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((ByteBuffer) null));
            t.npe(() -> c.write((ByteBuffer) null, NO_STATUS));
            t.validWriteStillWorks();
        }));
        r.add(row("TCP.write((ByteBuf) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((ByteBuf) null));
            t.npe(() -> c.write((ByteBuf) null, NO_STATUS));
            t.validWriteStillWorks();
        }));
        r.add(row("TCP.write((List) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((List<byte[]>) null));
            t.npe(() -> c.write((List<byte[]>) null, NO_STATUS));
            t.validWriteStillWorks();
        }));
        r.add(row("TCP.write(empty list)", t -> {
            TCP c = t.connected();
            t.iae("iterable is empty", () -> c.write(List.of()));
            t.iae("iterable is empty", () -> c.write(List.of(), (h, e) -> t.ev("callback of a rejected write")));
            t.validWriteStillWorks();
            assertEquals(List.of(), t.events);
        }));
        r.add(row("TCP.write(list holding null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write(Arrays.asList("bad".getBytes(StandardCharsets.US_ASCII), null)));
            t.npe(() -> c.write(Arrays.asList(null, "bad".getBytes(StandardCharsets.US_ASCII)), NO_STATUS));
            assertEquals(0, c.getWriteQueueSize());
            t.validWriteStillWorks(); // "bad" was not sent
        }));
        r.add(row("TCP.write without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EBADF, () -> h.write(OK));
            t.tcpError(Errno.UV_EBADF, () -> h.write(ByteBuffer.wrap(OK), NO_STATUS));
            t.tcpError(Errno.UV_EBADF, () -> h.write(List.of(OK)));
            ByteBuf buf = Unpooled.copiedBuffer(OK);
            t.tcpError(Errno.UV_EBADF, () -> h.write(buf));
            assertEquals(1, buf.refCnt(), "a rejected write(ByteBuf) leaves the buffer with the caller");
            buf.release();
            assertEquals(0, h.getWriteQueueSize());
            t.validConnectStillWorks(h);
        }));
        r.add(row("TCP.write after close", t -> {
            TCP c = t.connected();
            c.close();
            t.closed(() -> c.write(OK));
            ByteBuf buf = Unpooled.copiedBuffer(OK);
            t.closed(() -> c.write(buf, NO_STATUS));
            assertEquals(1, buf.refCnt());
            buf.release();
            t.runUntil("the peer sees the close", () -> !t.events.isEmpty());
            assertEquals(0, t.peerData.size(), "nothing was sent");
        }));
        r.add(row("TCP.tryWrite(null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.tryWrite((byte[]) null));
            t.npe(() -> c.tryWrite((ByteBuffer) null));
            t.validWriteStillWorks();
        }));
        r.add(row("TCP.tryWrite without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EBADF, () -> h.tryWrite(OK));
            t.tcpError(Errno.UV_EBADF, () -> h.tryWrite(ByteBuffer.wrap(OK)));
            t.validConnectStillWorks(h);
        }));
        r.add(row("TCP.tryWrite while connecting", t -> {
            TCP srv = t.server((s, e) -> s.accept(new TCP(t.loop)));
            TCP h = new TCP(t.loop);
            boolean[] connected = {false};
            h.connect(srv.getsockname(), (x, e) -> connected[0] = e == null);
            t.tcpError(Errno.UV_EAGAIN, () -> h.tryWrite(OK));
            t.runUntil("connected", () -> connected[0]);
        }));

        // ---- TCP.shutdown
        r.add(row("TCP.shutdown without a connection", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_ENOTCONN, h::shutdown);
            t.tcpError(Errno.UV_ENOTCONN, () -> h.shutdown((x, e) -> t.ev("shutdown callback")));
            t.validConnectStillWorks(h);
            assertEquals(List.of(), t.events);
        }));
        r.add(row("TCP.shutdown twice", t -> {
            TCP c = t.connected();
            boolean[] done = {false};
            c.shutdown((h, e) -> {
                assertNull(e);
                done[0] = true;
            });
            t.tcpError(Errno.UV_ENOTCONN, () -> c.shutdown((h, e) -> t.ev("second shutdown callback")));
            t.runUntil("the first shutdown and the peer's EOF", () -> done[0] && t.events.contains("peer read UV_EOF"));
            // Half-closed, still reading.
            c.startRead((h, data, e) -> t.clientData.writeBytes(data));
            t.peer.write(OK);
            t.runUntil("a read after the shutdown", () -> t.clientData.size() == OK.length);
            assertEquals(List.of("peer read UV_EOF"), t.events);
        }));

        // ---- TCP options and names
        for (int delay : new int[] {0, -1, 32768, Integer.MIN_VALUE}) {
            r.add(row("TCP.keepalive(true, " + delay + ")", t -> {
                TCP c = t.connected();
                t.tcpError(Errno.UV_EINVAL, () -> c.keepalive(true, delay));
                c.keepalive(true, 10);
                c.keepalive(false, delay); // disabling ignores the delay
                t.validWriteStillWorks();
            }));
        }
        r.add(row("TCP buffer sizes without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EBADF, h::getSendBufferSize);
            t.tcpError(Errno.UV_EBADF, h::getReceiveBufferSize);
            t.tcpError(Errno.UV_EBADF, () -> h.setSendBufferSize(65536));
            t.tcpError(Errno.UV_EBADF, () -> h.setReceiveBufferSize(65536));
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP.setSendBufferSize(negative)", t -> {
            TCP c = t.connected();
            c.setSendBufferSize(-5); // pyuv-spec §4.12: wraps to a huge value, the kernel clamps it
            c.setReceiveBufferSize(Integer.MIN_VALUE);
            assertTrue(c.getSendBufferSize() > 0 && c.getReceiveBufferSize() > 0);
            t.validWriteStillWorks();
        }));
        for (int fd : new int[] {-1, 99999}) {
            r.add(row("TCP.open(" + fd + ")", t -> {
                TCP h = new TCP(t.loop);
                t.tcpError(t.nativeTransport() ? Errno.UV_EBADF : Errno.UV_ENOTSUP, () -> h.open(fd));
                t.validBindStillWorks(h);
            }));
        }
        r.add(row("TCP.fileno without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(t.nativeTransport() ? Errno.UV_EBADF : Errno.UV_ENOTSUP, h::fileno);
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP names without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EINVAL, h::getsockname);
            t.tcpError(Errno.UV_EINVAL, h::getpeername);
            t.tcpError(Errno.UV_EINVAL, h::getFamily);
            t.validBindStillWorks(h);
        }));
        r.add(row("TCP.getpeername on a listener", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_ENOTCONN, srv::getpeername);
            t.connectionIsAccepted(srv, accepted);
        }));

        // ---- Timer
        r.add(row("Timer.start(null, 0, 0)", t -> {
            Timer timer = new Timer(t.loop);
            t.npe(() -> timer.start(null, 0, 0));
            t.timerStillFires(timer);
        }));
        for (double[] bad : new double[][] {{-1, 0}, {0, -1}, {-0.001, 0}, {Double.NaN, 0}, {0, Double.NaN},
                {Double.NEGATIVE_INFINITY, 0}}) {
            r.add(row("Timer.start(cb, " + bad[0] + ", " + bad[1] + ")", t -> {
                Timer timer = new Timer(t.loop);
                t.iae(NEGATIVE_TIME, () -> timer.start(x -> t.ev("timer"), bad[0], bad[1]));
                assertTrue(!timer.isActive(), "not started");
                t.timerStillFires(timer);
                assertEquals(List.of(), t.events);
            }));
        }
        r.add(row("Timer.setRepeat(-1)", t -> {
            Timer timer = new Timer(t.loop);
            t.iae("a positive float or 0.0 is required", () -> timer.setRepeat(-1));
            t.iae("a positive float or 0.0 is required", () -> timer.setRepeat(Double.NaN));
            assertEquals(0.0, timer.getRepeat());
            t.timerStillFires(timer);
        }));
        r.add(row("Timer.again never started", t -> {
            Timer timer = new Timer(t.loop);
            TimerError e = t.rejects(TimerError.class, timer::again);
            assertEquals(Errno.UV_EINVAL, e.errno());
            t.timerStillFires(timer);
        }));

        // ---- Idle, Prepare, Check, Async, Handle
        r.add(row("Idle.start(null)", t -> {
            Idle h = new Idle(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        }));
        r.add(row("Prepare.start(null)", t -> {
            Prepare h = new Prepare(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        }));
        r.add(row("Check.start(null)", t -> {
            Check h = new Check(t.loop);
            t.npe(() -> h.start(null));
            t.watcherStillFires(h, h::start);
            h.stop();
        }));
        r.add(row("new Async(loop, null) then send", t -> {
            Async a = new Async(t.loop, null); // allowed: pyuv's callback is optional
            a.send();
            t.loop.run(RunMode.NOWAIT);
            assertTrue(a.isActive());
            t.loopStillRuns();
        }));
        r.add(row("Handle.close twice", t -> {
            Timer timer = new Timer(t.loop);
            timer.close(x -> t.ev("first close callback"));
            t.closed(() -> timer.close(x -> t.ev("second close callback")));
            t.closed(timer::close);
            t.runUntil("the close callback", () -> !t.events.isEmpty());
            assertEquals(List.of("first close callback"), t.events);
            timer.setRef(true); // allowed on closed handles
            assertNotNull(t.loop);
        }));
        return r.stream();
    }
}
