package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Bad input to the stream methods of TCP: {@code startRead}, {@code write} (nulls of every type, an
 * empty list, a list holding null, without a socket, after close), {@code tryWrite} and
 * {@code shutdown} (see BadInputTestCase).
 */
class BadInputTcpStreamTest extends BadInputTestCase<BadInputTcpStreamTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputTcpStreamTest> r = new Rows<>();

        // ---- TCP reads
        r.add("TCP.startRead(null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.startRead(null));
            t.npe(() -> c.startReadBuf(null));
            c.startRead((h, data, e) -> t.clientData.writeBytes(data));
            t.peer.write(OK);
            t.runUntil("data read after the rejected calls", () -> t.clientData.size() == OK.length);
        });
        r.add("TCP.startRead without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_ENOTCONN, () -> h.startRead((x, d, e) -> t.ev("read")));
            t.tcpError(Errno.UV_ENOTCONN, () -> h.startReadBuf((x, d, e) -> t.ev("read")));
            assertTrue(!h.isActive(), "not reading");
            t.validBindStillWorks(h);
        });

        // ---- TCP writes
        r.add("TCP.write((byte[]) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((byte[]) null));
            t.npe(() -> c.write((byte[]) null, NO_STATUS));
            t.validWriteStillWorks();
        });
        r.add("TCP.write((ByteBuffer) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((ByteBuffer) null));
            t.npe(() -> c.write((ByteBuffer) null, NO_STATUS));
            t.validWriteStillWorks();
        });
        r.add("TCP.write((ByteBuf) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((ByteBuf) null));
            t.npe(() -> c.write((ByteBuf) null, NO_STATUS));
            t.validWriteStillWorks();
        });
        r.add("TCP.write((List) null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write((List<byte[]>) null));
            t.npe(() -> c.write((List<byte[]>) null, NO_STATUS));
            t.validWriteStillWorks();
        });
        r.add("TCP.write(empty list)", t -> {
            TCP c = t.connected();
            t.iae("iterable is empty", () -> c.write(List.of()));
            t.iae("iterable is empty", () -> c.write(List.of(), (h, e) -> t.ev("callback of a rejected write")));
            t.validWriteStillWorks();
            assertEquals(List.of(), t.events);
        });
        r.add("TCP.write(list holding null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.write(Arrays.asList("bad".getBytes(StandardCharsets.US_ASCII), null)));
            t.npe(() -> c.write(Arrays.asList(null, "bad".getBytes(StandardCharsets.US_ASCII)), NO_STATUS));
            assertEquals(0, c.getWriteQueueSize());
            t.validWriteStillWorks(); // "bad" was not sent
        });
        r.add("TCP.write without a socket", t -> {
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
        });
        r.add("TCP.write after close", t -> {
            TCP c = t.connected();
            c.close();
            t.closed(() -> c.write(OK));
            ByteBuf buf = Unpooled.copiedBuffer(OK);
            t.closed(() -> c.write(buf, NO_STATUS));
            assertEquals(1, buf.refCnt());
            buf.release();
            t.runUntil("the peer sees the close", () -> !t.events.isEmpty());
            assertEquals(0, t.peerData.size(), "nothing was sent");
        });
        r.add("TCP.tryWrite(null)", t -> {
            TCP c = t.connected();
            t.npe(() -> c.tryWrite((byte[]) null));
            t.npe(() -> c.tryWrite((ByteBuffer) null));
            t.validWriteStillWorks();
        });
        r.add("TCP.tryWrite without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EBADF, () -> h.tryWrite(OK));
            t.tcpError(Errno.UV_EBADF, () -> h.tryWrite(ByteBuffer.wrap(OK)));
            t.validConnectStillWorks(h);
        });
        r.add("TCP.tryWrite while connecting", t -> {
            TCP srv = t.server((s, e) -> s.accept(new TCP(t.loop)));
            TCP h = new TCP(t.loop);
            boolean[] connected = {false};
            h.connect(srv.getsockname(), (x, e) -> connected[0] = e == null);
            t.tcpError(Errno.UV_EAGAIN, () -> h.tryWrite(OK));
            t.runUntil("connected", () -> connected[0]);
        });

        // ---- TCP.shutdown
        r.add("TCP.shutdown without a connection", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_ENOTCONN, h::shutdown);
            t.tcpError(Errno.UV_ENOTCONN, () -> h.shutdown((x, e) -> t.ev("shutdown callback")));
            t.validConnectStillWorks(h);
            assertEquals(List.of(), t.events);
        });
        r.add("TCP.shutdown twice", t -> {
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
        });
        return r.stream();
    }
}
