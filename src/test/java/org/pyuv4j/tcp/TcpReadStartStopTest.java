package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.str;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.1: start_read and stop_read: a second start_read replaces the callback, stop_read pauses
 * delivery, stop and start inside the read callback keep reading (ports libuv's tcp_read_stop_start),
 * and start_read without a socket or without a peer.
 */
@Timeout(30)
class TcpReadStartStopTest extends TcpTestCase {
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
}
