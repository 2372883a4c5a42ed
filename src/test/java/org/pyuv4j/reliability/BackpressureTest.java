package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * Load: a fast writer against a slow reader (reading toggled on and off by a timer: on for 5 ms in
 * every 20 ms). A writer that respects {@code getWriteQueueSize()} (stops above a high-water mark,
 * resumes from a write callback below a low-water mark) keeps the queue, and so the memory it
 * holds, bounded; a writer that ignores it queues everything it writes (there is no implicit limit,
 * as in pyuv) and still loses nothing. Heap and Netty direct memory are sampled every 5 ms; the
 * figures go to docs/RELIABILITY.md.
 */
@Timeout(180)
class BackpressureTest extends ReliabilityTestCase {
    private static final int CHUNK = 64 << 10;
    private static final long HIGH_WATER = 1 << 20;
    private static final long LOW_WATER = 256 << 10;
    private static final long RESPECTFUL_TOTAL = scaled(128L << 20, 2L << 30);
    private static final long CARELESS_TOTAL = scaled(128L << 20, 1L << 30);
    private static final double LIMIT_SECONDS = scaled(60, 900);
    /** Direct memory the bounded writer may add: its queue bound plus allocator granularity and caches. */
    private static final long DIRECT_BOUND = 16L << 20;

    private final byte[] chunk = new byte[CHUNK];
    private long sent;
    private long received;
    private long maxQueue;
    private long peakDirect;
    private long peakHeap;
    private long liveHeapAtPeak = -1;
    private final MessageDigest sentDigest = sha256();
    private final MessageDigest receivedDigest = sha256();

    /** The slow reader: reads during one 5 ms tick out of four; counts and hashes what it gets. */
    private final class SlowReader {
        final TCP h;
        final Timer toggle = new Timer(loop);
        int tick;
        boolean eof;
        boolean enabled = true;

        SlowReader(TCP h) {
            this.h = h;
            toggle.start(t -> {
                sample();
                if (!enabled || eof) {
                    return;
                }
                if (tick++ % 4 == 0) {
                    h.startRead(this::onRead);
                } else {
                    h.stopRead();
                }
            }, 0.005, 0.005);
        }

        void onRead(TCP x, byte[] data, Integer e) {
            if (data != null) {
                received += data.length;
                receivedDigest.update(data);
                return;
            }
            assertEquals(Errno.UV_EOF, e, () -> "reader: " + err(e));
            eof = true;
            toggle.close();
            x.close();
        }
    }

    private void sample() {
        peakDirect = Math.max(peakDirect, usedDirectMemory());
        peakHeap = Math.max(peakHeap, usedHeap());
    }

    /** Heap still reachable (after a full GC): what the queued writes cost the heap. */
    private static long liveHeap() {
        System.gc();
        return usedHeap();
    }

    private void fill(SplittableRandom r) {
        r.nextBytes(chunk);
    }

    /** Writes while the queue is at or below the high-water mark; resumes below the low-water mark. */
    private final class RespectfulWriter {
        final TCP h;
        final SplittableRandom random;
        final StatusCallback<TCP> written = this::written;
        boolean paused;

        RespectfulWriter(TCP h, SplittableRandom random) {
            this.h = h;
            this.random = random;
        }

        void pump() {
            while (sent < RESPECTFUL_TOTAL && h.getWriteQueueSize() <= HIGH_WATER) {
                fill(random);
                sentDigest.update(chunk);
                h.write(chunk, written);
                sent += CHUNK;
                maxQueue = Math.max(maxQueue, h.getWriteQueueSize());
            }
            paused = sent < RESPECTFUL_TOTAL;
            if (liveHeapAtPeak < 0 && sent >= RESPECTFUL_TOTAL / 2) {
                liveHeapAtPeak = liveHeap(); // once, at high water half-way through
            }
            if (!paused) {
                h.shutdown((x, e) -> {
                    assertNull(e);
                    x.close();
                });
            }
        }

        void written(TCP x, Integer e) {
            assertNull(e, () -> "write: " + err(e));
            maxQueue = Math.max(maxQueue, x.getWriteQueueSize());
            if (paused && x.getWriteQueueSize() < LOW_WATER) {
                pump();
            }
        }
    }

    @Test
    void writerThatRespectsTheWriteQueueStaysBounded() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        long directBefore = usedDirectMemory();
        long heapBefore = liveHeap();
        long t0 = System.nanoTime();
        pair((writer, reader) -> {
            new SlowReader(reader);
            new RespectfulWriter(writer, random).pump();
        });
        runBounded(LIMIT_SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(RESPECTFUL_TOTAL, sent);
        assertEquals(sent, received, "bytes received");
        assertEquals(HexFormat.of().formatHex(sentDigest.digest()), HexFormat.of().formatHex(receivedDigest.digest()));
        assertTrue(maxQueue <= HIGH_WATER + CHUNK, "write queue peaked at " + maxQueue + " bytes, above "
                + (HIGH_WATER + CHUNK));
        // The allocator's pool may still hold memory from earlier tests; it must not grow by more than this.
        assertTrue(peakDirect - directBefore <= DIRECT_BOUND, "direct memory grew by " + mib(peakDirect - directBefore));
        figure("backpressure bounded", "%s through a slow reader in %.1f s: write queue peak %s (bound %s),"
                        + " Netty direct memory %s before, peak %s; live heap %s at high water (%s before),"
                        + " heap peak %s with garbage",
                mib(sent), seconds, mib(maxQueue), mib(HIGH_WATER + CHUNK), mib(directBefore), mib(peakDirect),
                mib(liveHeapAtPeak), mib(heapBefore), mib(peakHeap));
    }

    /**
     * A writer that ignores the queue: everything written while the reader is stopped is held by
     * the stream (in direct memory) and counted by getWriteQueueSize(); nothing is dropped, and it
     * all arrives once the reader reads again.
     */
    @Test
    void writerThatIgnoresTheWriteQueueQueuesEverything() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        long directBefore = usedDirectMemory();
        long heapBefore = liveHeap();
        long[] queuedAtPeak = {0};
        long t0 = System.nanoTime();
        pair((writer, reader) -> {
            // The reader does not read at all while the writer writes everything in one go.
            while (sent < CARELESS_TOTAL) {
                fill(random);
                sentDigest.update(chunk);
                writer.write(chunk, (x, e) -> assertNull(e, () -> "write: " + err(e)));
                sent += CHUNK;
            }
            queuedAtPeak[0] = writer.getWriteQueueSize();
            sample();
            liveHeapAtPeak = liveHeap();
            writer.shutdown((x, e) -> {
                assertNull(e);
                x.close();
            });
            // Then it reads slowly, as in the bounded case.
            after(0.05, () -> new SlowReader(reader));
        });
        runBounded(LIMIT_SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(sent, received, "bytes received");
        assertEquals(HexFormat.of().formatHex(sentDigest.digest()), HexFormat.of().formatHex(receivedDigest.digest()));
        // Kernel socket buffers on loopback absorb a few MiB; the rest is queued in the stream.
        assertTrue(queuedAtPeak[0] >= CARELESS_TOTAL - (32L << 20), "queued only " + mib(queuedAtPeak[0]));
        figure("backpressure ignored", "%s written at once to a stopped reader: write queue %s,"
                        + " Netty direct memory %s before, peak %s; live heap %s (%s before); all of it delivered in %.1f s",
                mib(CARELESS_TOTAL), mib(queuedAtPeak[0]), mib(directBefore), mib(peakDirect), mib(liveHeapAtPeak),
                mib(heapBefore), seconds);
    }
}
