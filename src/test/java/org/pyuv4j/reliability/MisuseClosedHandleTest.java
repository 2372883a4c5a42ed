package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.pyuv4j.Address;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Handle;
import org.pyuv4j.Idle;
import org.pyuv4j.Prepare;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.HandleClosedError;

/**
 * Faults: handles used after close. Every method pyuv-spec §2.4 lists raises HandleClosedError on a
 * closing or closed handle, of every handle type, and changes nothing: no callback runs, a
 * {@code ByteBuf} stays with the caller.
 */
class MisuseClosedHandleTest extends ReliabilityTestCase {
    private static final byte[] X = {'x'};

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
}
