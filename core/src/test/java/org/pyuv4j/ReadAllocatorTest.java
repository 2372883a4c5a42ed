package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unit test of {@link ReadAllocator}: buffer sizes and when a readiness event's reads stop. */
@Timeout(10)
class ReadAllocatorTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ByteBuf slab = Unpooled.directBuffer(ReadAllocator.MAX_READ);
    private final Fake reader = new Fake();

    @AfterEach
    void release() {
        slab.release();
        channel.finishAndReleaseAll();
    }

    /** A reader whose mode and slab the test sets. */
    private final class Fake extends ReadAllocator {
        boolean zeroCopy;
        boolean slabLent;

        @Override
        boolean zeroCopy() {
            return zeroCopy;
        }

        @Override
        ByteBuf slab() {
            return slabLent ? null : slab;
        }
    }

    /** One read of {@code bytes} into a buffer of {@code room}. */
    private void read(int room, int bytes) {
        reader.attemptedBytesRead(room);
        reader.lastBytesRead(bytes);
        reader.incMessagesRead(1);
    }

    @Test
    void theAllocatorIsItsOwnHandle() {
        assertSame(reader, reader.newHandle());
    }

    @Test
    void copyingReadsLandInTheSlabOrA64KiBBufferWhileItIsLent() {
        reader.reset(channel.config());
        assertEquals(ReadAllocator.MAX_READ, reader.guess());
        assertSame(slab, reader.allocate(UnpooledByteBufAllocator.DEFAULT));
        reader.slabLent = true;
        ByteBuf b = reader.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(ReadAllocator.MAX_READ, b.capacity());
        } finally {
            b.release();
        }
    }

    @Test
    void zeroCopyBuffersGrowWithFullReadsAndShrinkAfterTwoSmallOnes() {
        reader.zeroCopy = true;
        reader.reset(channel.config());
        assertEquals(2048, reader.guess());
        for (int expected : new int[] {4096, 8192, 16384, 32768, 65536, 65536}) {
            read(reader.guess(), reader.guess());
            assertEquals(expected, reader.guess());
        }
        read(65536, 100);
        assertEquals(65536, reader.guess(), "one small read does not shrink");
        read(65536, 100);
        assertEquals(32768, reader.guess());
        for (int i = 0; i < 40; i++) {
            read(reader.guess(), 1);
        }
        assertEquals(512, reader.guess(), "never below 512 B");
        ByteBuf b = reader.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(512, b.capacity());
            assertEquals(ReadAllocator.MAX_READ, b.maxCapacity());
        } finally {
            b.release();
        }
    }

    @Test
    void readsGoOnWhileTheyFillTheirBufferUpTo16() {
        reader.reset(channel.config());
        for (int i = 1; i < 16; i++) {
            read(65536, 65536);
            assertTrue(reader.continueReading(), "after " + i + " full reads");
        }
        read(65536, 65536);
        assertFalse(reader.continueReading(), "16 reads per readiness event");
        reader.reset(channel.config());
        assertEquals(0, reader.reads());
    }

    @Test
    void aShortReadAnEmptyReadOrAutoReadOffEndsTheBatch() {
        reader.reset(channel.config());
        read(65536, 10);
        assertFalse(reader.continueReading(), "a read that did not fill its buffer");
        assertTrue(reader.continueReading(() -> true), "unless the transport knows there is more");

        reader.reset(channel.config());
        read(65536, 0);
        assertFalse(reader.continueReading(() -> true), "nothing read in this batch");

        reader.reset(channel.config());
        read(65536, 65536);
        channel.config().setAutoRead(false);
        assertFalse(reader.continueReading(() -> true), "reading stopped");
        assertEquals(65536, reader.lastBytesRead());
        assertEquals(65536, reader.attemptedBytesRead());
    }
}
