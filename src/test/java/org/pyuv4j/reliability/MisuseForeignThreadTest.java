package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.Events.sorted;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Handle;
import org.pyuv4j.Idle;
import org.pyuv4j.Prepare;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * Faults: calls from a foreign thread. After the first run, every call from another thread raises
 * IllegalStateException and changes nothing, while the thread-safe calls (Async.send, Loop.stop,
 * Loop.execute) work (API.md "Threading").
 */
class MisuseForeignThreadTest extends ReliabilityTestCase {
    private static final byte[] X = {'x'};

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
