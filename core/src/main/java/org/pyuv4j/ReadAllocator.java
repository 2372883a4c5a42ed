package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Where a stream's reads land (libuv's alloc_cb). For {@code startRead} streams every read goes into
 * the loop's one 64 KiB buffer and is copied out into the callback's {@code byte[]} at once, as pyuv
 * does with its per-loop slab: at most 64 KiB per callback, and no buffer allocated per read. For
 * {@code startReadBuf} streams the callee may keep the buffer, so each read gets its own pooled
 * buffer, sized to recent reads (512 B to 64 KiB). Up to 16 reads per readiness event; a read that
 * does not fill its buffer ends the batch (libuv: 32 reads, same rule).
 */
final class ReadAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    static final int MAX_READ = 65536;
    private static final int MIN_GUESS = 512;
    private static final int INITIAL_GUESS = 2048;

    private final Stream<?> stream;

    ReadAllocator(Stream<?> stream) {
        super(16);
        this.stream = stream;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            private int guess = INITIAL_GUESS;
            private int smallReads;

            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                if (!stream.reader.zeroCopy()) {
                    ByteBuf slab = stream.loop.readSlab.borrow();
                    if (slab != null) {
                        return slab;
                    }
                    return alloc.ioBuffer(MAX_READ);
                }
                return alloc.ioBuffer(guess, MAX_READ);
            }

            @Override
            public int guess() {
                return stream.reader.zeroCopy() ? guess : MAX_READ;
            }

            @Override
            public void lastBytesRead(int bytes) {
                super.lastBytesRead(bytes);
                if (!stream.reader.zeroCopy() || bytes <= 0) {
                    return;
                }
                if (bytes >= guess) {
                    guess = Math.min(MAX_READ, guess << 1);
                    smallReads = 0;
                } else if (bytes <= guess >> 2 && guess > MIN_GUESS && ++smallReads >= 2) {
                    guess >>= 1;
                    smallReads = 0;
                }
            }
        };
    }
}
