package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pyuv4j.test.TcpSupport.b;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §2.2: close while a connect is pending cancels it, and the writes and the shutdown queued
 * behind it, in order, before the close callback (libuv's test-tcp-close-while-connecting.c).
 */
@Timeout(30)
class TcpCloseWhileConnectingTest extends TcpTestCase {
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
}
