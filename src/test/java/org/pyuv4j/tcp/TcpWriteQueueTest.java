package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.fillWriteQueue;
import static org.pyuv4j.test.TcpSupport.repeat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.3 / §3.6: write_queue_size (0 when a write went out at once, growing under
 * back-pressure without making the handle active, draining) and the FIFO order of write callbacks
 * (libuv's test-tcp-write-queue-order.c). Also pyuv's {@code TCPTest3.test_tcp_write_saturate}.
 */
@Timeout(30)
class TcpWriteQueueTest extends TcpTestCase {
    // =========================================================================== TCPTest3

    private int connectionCloses;

    @Test
    void test_tcp_write_saturate() {
        listeningServer((srv, error) -> {
            assertNull(error);
            TCP connection = new TCP(loop);
            srv.accept(connection);
            byte[] data = repeat("PING", 1000);
            long written = 0;
            while (connection.getWriteQueueSize() == 0) {
                connection.write(data);
                written += data.length;
                if (written > 512L << 20) {
                    fail("write_queue_size still 0 after " + written + " bytes to a peer that does not read");
                }
            }
            connection.close(h -> {
                connectionCloses++;
                client.close();
                server.close();
            });
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            assertTrue(c.isReadable());
            assertTrue(c.isWritable());
        });
        loop.run();
        assertEquals(1, connectionCloses);
    }

    // ---- pyuv-spec §3.3 / §3.6

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
}
