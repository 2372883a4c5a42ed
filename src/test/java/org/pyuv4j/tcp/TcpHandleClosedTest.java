package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertHandleClosed;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §2.4: every method pyuv checks raises HandleClosedError on a closing or closed handle,
 * and the ones it does not check keep working (or raise TCPError) after close.
 */
@Timeout(30)
class TcpHandleClosedTest extends TcpTestCase {
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
}
