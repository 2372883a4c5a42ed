package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.str;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.ReadCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §11.2 / §3.1: reads are at most 64 KiB; the peer's FIN or close arrives as one EOF read
 * callback, after reading stopped; restarting reading after EOF (libuv's test-shutdown-eof.c).
 */
@Timeout(30)
class TcpReadEofTest extends TcpTestCase {
    private static final int MAX_READ = 65536;

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
}
