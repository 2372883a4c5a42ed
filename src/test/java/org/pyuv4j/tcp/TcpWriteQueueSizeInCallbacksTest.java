package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.TCP;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code getWriteQueueSize()} inside write callbacks follows libuv 1.13's accounting (pyuv-spec §3.6,
 * libuv's {@code uv__write}): bytes are subtracted as {@code write(2)} takes them, and a request that
 * waited behind others is written only after the callbacks before it ran, so a write callback sees
 * the whole size of every request still queued behind it.
 *
 * <p>The scenario and the figures were checked against the real pyuv 1.4 (libuv 1.13): the client
 * writes 64 KiB chunks to a peer that does not read until the queue is no longer empty (the last
 * chunk stays partly unwritten), then writes 100, 200 and 300 bytes, each with a callback; then the
 * peer reads everything. pyuv printed: 0 after each chunk but the last, the remainder R after it, then
 * R+100, R+300, R+600; in the callbacks of the chunks written at once R+600 (everything queued); in
 * the callback of the partial chunk 600, then 500, 300 and 0 in the callbacks of the three small
 * writes; every error None.
 */
class TcpWriteQueueSizeInCallbacksTest extends UvTestCase {
    private static final int CHUNK = 65536;
    private static final int[] LATER = {100, 200, 300};

    @Test
    void aWriteCallbackSeesTheBytesOfTheRequestsQueuedBehindIt() {
        TcpSupport.watchdog(loop, 20, () -> "write callbacks never completed");
        List<Long> afterWrite = new ArrayList<>();
        List<String> inCallback = new ArrayList<>();
        long[] remainder = {0};
        int[] chunks = {0};
        TcpSupport.pair(loop, HOST, (client, peer) -> {
            boolean[] reading = {false};
            StatusCallback<TCP> recordChunk = (h, e) -> {
                assertNull(e);
                inCallback.add("chunk " + h.getWriteQueueSize());
                if (!reading[0]) {
                    reading[0] = true;
                    peer.startRead((p, data, re) -> {
                        if (data == null) {
                            p.close();
                        }
                    });
                }
            };
            while (client.getWriteQueueSize() == 0) {
                client.write(new byte[CHUNK], recordChunk);
                chunks[0]++;
                afterWrite.add(client.getWriteQueueSize());
            }
            remainder[0] = client.getWriteQueueSize();
            for (int size : LATER) {
                client.write(new byte[size], (h, e) -> {
                    assertNull(e);
                    inCallback.add(size + " " + h.getWriteQueueSize());
                    if (size == LATER[LATER.length - 1]) {
                        h.close();
                    }
                });
                afterWrite.add(client.getWriteQueueSize());
            }
        });
        loop.run();

        long r = remainder[0];
        int n = chunks[0];
        assertTrue(n > 1 && r > 0 && r <= CHUNK, "saturated after " + n + " chunks, remainder " + r);
        List<Long> expectedAfterWrite = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            expectedAfterWrite.add(0L);
        }
        expectedAfterWrite.addAll(List.of(r, r + 100, r + 300, r + 600));
        assertEquals(expectedAfterWrite, afterWrite, "write_queue_size after each write()");

        List<String> expectedInCallback = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            expectedInCallback.add("chunk " + (r + 600)); // written at once: everything queued is still counted
        }
        expectedInCallback.addAll(List.of("chunk 600", "100 500", "200 300", "300 0"));
        assertEquals(expectedInCallback, inCallback, "write_queue_size inside each write callback");
    }
}
