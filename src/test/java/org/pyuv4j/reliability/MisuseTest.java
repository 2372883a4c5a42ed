package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertHandleClosed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.pyuv4j.Address;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Errno;
import org.pyuv4j.Handle;
import org.pyuv4j.Idle;
import org.pyuv4j.Loop;
import org.pyuv4j.Prepare;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.UVError;

/**
 * Faults: misuse of the loop and of handles. A loop closed with handles open or requests in flight
 * refuses with UVError(UV_EBUSY) and stays usable (API.md); every method pyuv-spec §2.4 lists raises
 * HandleClosedError on a closing or closed handle, of every handle type, and changes nothing; after
 * the first run, every call from another thread raises IllegalStateException and changes nothing,
 * while the thread-safe calls (Async.send, Loop.stop, Loop.execute) work.
 */
class MisuseTest extends ReliabilityTestCase {
    private static final byte[] X = {'x'};

    // ============================================================ Loop.close with work left

    private static void assertBusy(Loop l) {
        UVError e = assertThrows(UVError.class, l::close);
        assertSame(UVError.class, e.getClass());
        assertEquals(Errno.UV_EBUSY, e.errno());
        assertEquals("resource busy or locked", e.getMessage());
    }

    @Test
    void closingALoopWithOpenHandlesIsEbusyAndTheLoopStaysUsable() {
        Timer timer = new Timer(loop);
        TCP server = server((s, e) -> {
            ev("connection");
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
            s.close(); // here, not in the connect callback: the two callbacks come in either order
        });
        assertBusy(loop);
        // Still usable: the handles work, new handles can be made, run() runs.
        timer.start(t -> ev("timer"), 0.001, 0);
        Timer t2 = new Timer(loop);
        t2.start(t -> {
            IllegalStateException inside = assertThrows(IllegalStateException.class, loop::close);
            assertTrue(inside.getMessage().contains("inside run()"), inside.getMessage());
            ev("close refused inside run");
            t.close();
        }, 0.001, 0);
        TCP c = new TCP(loop);
        c.connect(server.getsockname(), (h, e) -> {
            assertNull(e);
            ev("connected");
            h.close();
            timer.close();
        });
        loop.run();
        assertEquals(List.of("close refused inside run", "connected", "connection", "timer"), sorted(events));
        assertNoneLeft(loop.getHandles());
        // A closing handle whose close callback has not run still counts.
        Timer closing = new Timer(loop);
        closing.close();
        assertBusy(loop);
        loop.run();
        assertNoneLeft(loop.getHandles());
    }

    @Test
    void closingALoopWithARequestInFlightIsEbusy() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        loop.queueWork(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, e -> ev("work done " + err(e)));
        assertBusy(loop);
        loop.execute(() -> ev("task"));
        release.countDown();
        loop.run();
        assertEquals(List.of("task", "work done null"), sorted(events));
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    void aClosedLoopRefusesEverythingAndClosingAgainDoesNothing() {
        Loop other = new Loop(transport());
        other.close();
        other.close(); // idempotent
        assertTrue(assertThrows(IllegalStateException.class, other::run).getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> new Timer(other));
        assertThrows(IllegalStateException.class, () -> new TCP(other));
        assertThrows(IllegalStateException.class, () -> other.execute(() -> { }));
        assertThrows(IllegalStateException.class, () -> other.queueWork(() -> { }));
    }

    // ============================================================ handles used after close

    /** Every checked method of every handle type, with the callbacks it would take. */
    private Map<String, Executable> checkedCalls(TCP tcp, TCP other, Timer timer, Async async, Idle idle,
                                                 Prepare prepare, Check check, ByteBuf buf) {
        StatusCallback<TCP> cb = (h, e) -> ev("TCP callback on a closed handle");
        Map<String, Executable> m = new LinkedHashMap<>();
        for (Handle<?> h : List.of(tcp, timer, async, idle, prepare, check)) {
            m.put(h.getClass().getSimpleName() + ".close()", h::close);
        }
        m.put("TCP.close(cb)", () -> tcp.close(x -> ev("close callback on a closed handle")));
        m.put("TCP.bind(host, port)", () -> tcp.bind(HOST, 0));
        m.put("TCP.bind(address)", () -> tcp.bind(Address.of(HOST, 0)));
        m.put("TCP.bind(address, flags)", () -> tcp.bind(Address.of("::1", 0), TCP.IPV6ONLY));
        m.put("TCP.listen(cb)", () -> tcp.listen(cb));
        m.put("TCP.listen(cb, backlog)", () -> tcp.listen(cb, 5));
        m.put("TCP.accept", () -> tcp.accept(other));
        m.put("TCP.connect(address)", () -> tcp.connect(Address.of(HOST, 9), cb));
        m.put("TCP.connect(host, port)", () -> tcp.connect(HOST, 9, cb));
        m.put("TCP.getsockname", tcp::getsockname);
        m.put("TCP.getpeername", tcp::getpeername);
        m.put("TCP.nodelay", () -> tcp.nodelay(true));
        m.put("TCP.keepalive", () -> tcp.keepalive(true, 10));
        m.put("TCP.simultaneousAccepts", () -> tcp.simultaneousAccepts(true));
        m.put("TCP.open", () -> tcp.open(-1));
        m.put("TCP.shutdown()", tcp::shutdown);
        m.put("TCP.shutdown(cb)", () -> tcp.shutdown(cb));
        m.put("TCP.startRead", () -> tcp.startRead((h, d, e) -> ev("read callback on a closed handle")));
        m.put("TCP.startReadBuf", () -> tcp.startReadBuf((h, d, e) -> ev("read callback on a closed handle")));
        m.put("TCP.stopRead", tcp::stopRead);
        m.put("TCP.write(byte[])", () -> tcp.write(X));
        m.put("TCP.write(byte[], cb)", () -> tcp.write(X, cb));
        m.put("TCP.write(ByteBuffer)", () -> tcp.write(ByteBuffer.wrap(X)));
        m.put("TCP.write(ByteBuffer, cb)", () -> tcp.write(ByteBuffer.wrap(X), cb));
        m.put("TCP.write(ByteBuf)", () -> tcp.write(buf));
        m.put("TCP.write(ByteBuf, cb)", () -> tcp.write(buf, cb));
        m.put("TCP.write(List)", () -> tcp.write(List.of(X)));
        m.put("TCP.write(List, cb)", () -> tcp.write(List.of(X), cb));
        m.put("TCP.tryWrite(byte[])", () -> tcp.tryWrite(X));
        m.put("TCP.tryWrite(ByteBuffer)", () -> tcp.tryWrite(ByteBuffer.wrap(X)));
        m.put("TCP.fileno", tcp::fileno);
        m.put("Timer.start", () -> timer.start(t -> ev("timer callback on a closed handle"), 0, 0));
        m.put("Timer.stop", timer::stop);
        m.put("Timer.again", timer::again);
        m.put("Async.send", async::send);
        m.put("Idle.start", () -> idle.start(h -> ev("idle callback on a closed handle")));
        m.put("Idle.stop", idle::stop);
        m.put("Prepare.start", () -> prepare.start(h -> ev("prepare callback on a closed handle")));
        m.put("Prepare.stop", prepare::stop);
        m.put("Check.start", () -> check.start(h -> ev("check callback on a closed handle")));
        m.put("Check.stop", check::stop);
        return m;
    }

    private void assertAllClosed(Map<String, Executable> calls) {
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            HandleClosedError e = assertThrows(HandleClosedError.class, c.getValue(), c.getKey());
            assertEquals("Handle is closing/closed", e.getMessage(), c.getKey());
            assertEquals(0, e.errno(), c.getKey());
        }
    }

    @Test
    void everyCheckedMethodOfEveryHandleTypeRaisesHandleClosedErrorAndChangesNothing() {
        Timer dog = watchdog(10);
        TCP[] connected = new TCP[2];
        pair((c, conn) -> {
            connected[0] = c;
            connected[1] = conn;
            conn.startRead((h, d, e) -> ev("peer read " + (d == null ? err(e) : d.length + " bytes")));
            c.close(); // closing a connected, reading pair end
            conn.close();
        });
        loop.run();
        TCP fresh = new TCP(loop);
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        TCP other = new TCP(loop);
        Timer timer = new Timer(loop);
        timer.start(t -> ev("timer fired"), 10, 10);
        Async async = new Async(loop, a -> ev("async fired"));
        Idle idle = new Idle(loop);
        idle.start(h -> ev("idle fired"));
        Prepare prepare = new Prepare(loop);
        prepare.start(h -> ev("prepare fired"));
        Check check = new Check(loop);
        check.start(h -> ev("check fired"));
        ByteBuf buf = Unpooled.copiedBuffer(X);
        try {
            for (Handle<?> h : List.of(fresh, bound, timer, async, idle, prepare, check)) {
                h.close();
            }
            for (TCP tcp : List.of(fresh, bound, connected[0])) {
                // while closing (fresh, bound) and after the close callback (connected[0])
                assertAllClosed(checkedCalls(tcp, other, timer, async, idle, prepare, check, buf));
            }
            loop.run();
            assertAllClosed(checkedCalls(bound, other, timer, async, idle, prepare, check, buf));
            assertEquals(1, buf.refCnt(), "a write that throws leaves the buffer with the caller");
        } finally {
            buf.release();
        }
        other.close();
        dog.close();
        loop.run();
        assertEquals(List.of(), events, "no callback of a closed handle ran");
        for (Handle<?> h : List.of(fresh, bound, timer, async, idle, prepare, check, connected[0], connected[1])) {
            assertTrue(h.isClosed());
            assertNull(h.getLoop());
            assertFalse(h.isActive());
        }
        assertNoneLeft(loop.getHandles());
    }

    // ============================================================ foreign threads

    @Test
    void afterTheFirstRunEveryCallFromAnotherThreadIsRejectedAndChangesNothing() throws InterruptedException {
        watchdog(10);
        TCP[] ends = new TCP[2];
        pair((c, conn) -> {
            ends[0] = c;
            ends[1] = conn;
            loop.stop();
        });
        loop.run(); // the test thread now owns the loop
        TCP c = ends[0];
        TCP conn = ends[1];
        conn.startRead((h, d, e) -> ev("peer read " + (d == null ? err(e) : new String(d))));
        TCP fresh = new TCP(loop);
        TCP listener = new TCP(loop);
        listener.bind(HOST, 0);
        listener.listen((s, e) -> ev("connection"));
        Timer timer = new Timer(loop);
        Idle idle = new Idle(loop);
        Prepare prepare = new Prepare(loop);
        Check check = new Check(loop);
        Async async = new Async(loop, a -> ev("async"));
        ByteBuf buf = Unpooled.copiedBuffer(X);
        StatusCallback<TCP> cb = (h, e) -> ev("callback from a foreign call");
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("Loop.run", loop::run);
        calls.put("Loop.run(NOWAIT)", () -> loop.run(RunMode.NOWAIT));
        calls.put("Loop.now", loop::now);
        calls.put("Loop.updateTime", loop::updateTime);
        calls.put("Loop.isAlive", loop::isAlive);
        calls.put("Loop.getHandles", loop::getHandles);
        calls.put("Loop.getTimeout", loop::getTimeout);
        calls.put("Loop.queueWork", () -> loop.queueWork(() -> { }, e -> ev("work")));
        calls.put("Loop.close", loop::close);
        calls.put("new TCP", () -> new TCP(loop));
        calls.put("new TCP(INET)", () -> new TCP(loop, java.net.StandardProtocolFamily.INET));
        calls.put("new Timer", () -> new Timer(loop));
        calls.put("new Async", () -> new Async(loop, null));
        calls.put("new Idle", () -> new Idle(loop));
        calls.put("new Prepare", () -> new Prepare(loop));
        calls.put("new Check", () -> new Check(loop));
        for (Handle<?> h : List.of(c, timer, idle, async)) {
            String n = h.getClass().getSimpleName();
            calls.put(n + ".getLoop", h::getLoop);
            calls.put(n + ".isActive", h::isActive);
            calls.put(n + ".isClosed", h::isClosed);
            calls.put(n + ".isRef", h::isRef);
            calls.put(n + ".setRef", () -> h.setRef(false));
            calls.put(n + ".close", h::close);
        }
        calls.put("TCP.bind", () -> fresh.bind(HOST, 0));
        calls.put("TCP.listen", () -> fresh.listen(cb));
        calls.put("TCP.accept", () -> listener.accept(fresh));
        calls.put("TCP.connect", () -> fresh.connect(listener.getsockname(), cb));
        calls.put("TCP.startRead", () -> c.startRead((h, d, e) -> ev("read")));
        calls.put("TCP.startReadBuf", () -> c.startReadBuf((h, d, e) -> ev("read")));
        calls.put("TCP.stopRead", conn::stopRead);
        calls.put("TCP.write(byte[])", () -> c.write(X, cb));
        calls.put("TCP.write(ByteBuffer)", () -> c.write(ByteBuffer.wrap(X), cb));
        calls.put("TCP.write(ByteBuf)", () -> c.write(buf, cb));
        calls.put("TCP.write(List)", () -> c.write(List.of(X), cb));
        calls.put("TCP.tryWrite(byte[])", () -> c.tryWrite(X));
        calls.put("TCP.tryWrite(ByteBuffer)", () -> c.tryWrite(ByteBuffer.wrap(X)));
        calls.put("TCP.shutdown", () -> c.shutdown(cb));
        calls.put("TCP.getWriteQueueSize", c::getWriteQueueSize);
        calls.put("TCP.isReadable", c::isReadable);
        calls.put("TCP.isWritable", c::isWritable);
        calls.put("TCP.fileno", c::fileno);
        calls.put("TCP.open", () -> fresh.open(0));
        calls.put("TCP.getsockname", c::getsockname);
        calls.put("TCP.getpeername", c::getpeername);
        calls.put("TCP.nodelay", () -> c.nodelay(true));
        calls.put("TCP.keepalive", () -> c.keepalive(true, 10));
        calls.put("TCP.simultaneousAccepts", () -> c.simultaneousAccepts(true));
        calls.put("TCP.getSendBufferSize", c::getSendBufferSize);
        calls.put("TCP.setSendBufferSize", () -> c.setSendBufferSize(65536));
        calls.put("TCP.getReceiveBufferSize", c::getReceiveBufferSize);
        calls.put("TCP.setReceiveBufferSize", () -> c.setReceiveBufferSize(65536));
        calls.put("TCP.getFamily", c::getFamily);
        calls.put("Timer.start", () -> timer.start(t -> ev("timer"), 0, 0));
        calls.put("Timer.stop", timer::stop);
        calls.put("Timer.again", timer::again);
        calls.put("Timer.getRepeat", timer::getRepeat);
        calls.put("Timer.setRepeat", () -> timer.setRepeat(1));
        calls.put("Idle.start", () -> idle.start(h -> ev("idle")));
        calls.put("Idle.stop", idle::stop);
        calls.put("Prepare.start", () -> prepare.start(h -> ev("prepare")));
        calls.put("Prepare.stop", prepare::stop);
        calls.put("Check.start", () -> check.start(h -> ev("check")));
        calls.put("Check.stop", check::stop);
        // Thread-safe: these must work from any thread.
        Map<String, Executable> safe = new LinkedHashMap<>();
        safe.put("Async.send", async::send);
        safe.put("Loop.execute", () -> loop.execute(() -> ev("task")));

        List<Handle<?>> handlesBefore = loop.getHandles();
        String owner = Thread.currentThread().getName();
        Map<String, Throwable> results = new LinkedHashMap<>();
        Map<String, Throwable> safeResults = new LinkedHashMap<>();
        Thread intruder = new Thread(() -> {
            for (Map.Entry<String, Executable> e : calls.entrySet()) {
                results.put(e.getKey(), attempt(e.getValue()));
            }
            for (Map.Entry<String, Executable> e : safe.entrySet()) {
                safeResults.put(e.getKey(), attempt(e.getValue()));
            }
        }, "intruder");
        intruder.start();
        intruder.join(10_000);
        assertFalse(intruder.isAlive());
        assertEquals(1, buf.refCnt(), "the rejected write(ByteBuf) left the buffer with the caller");
        buf.release();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Throwable> r : results.entrySet()) {
            Throwable t = r.getValue();
            if (!(t instanceof IllegalStateException) || !t.getMessage().contains("'" + owner + "'")
                    || !t.getMessage().contains("'intruder'")) {
                wrong.add(r.getKey() + " -> " + t);
            }
        }
        assertEquals(List.of(), wrong, "calls from another thread must raise IllegalStateException naming both threads");
        for (Map.Entry<String, Throwable> r : safeResults.entrySet()) {
            assertNull(r.getValue(), r.getKey() + " is thread-safe");
        }
        // Nothing changed, and the loop goes on with its owner.
        assertEquals(handlesBefore, loop.getHandles());
        assertFalse(timer.isActive());
        assertFalse(idle.isActive());
        assertTrue(c.isRef());
        assertEquals(0, c.getWriteQueueSize());
        c.write("ok".getBytes());
        loop.updateTime();
        timer.start(t -> {
            if (events.size() < 3) {
                return; // not all effects seen yet: wait (the watchdog bounds this)
            }
            for (Handle<?> h : loop.getHandles()) {
                if (!h.isClosed()) {
                    h.close();
                }
            }
        }, 0.01, 0.01);
        loop.run();
        assertEquals(List.of("async", "peer read ok", "task"), sorted(events),
                "only the thread-safe calls and the owner's own write had effects");
    }

    private static Throwable attempt(Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
