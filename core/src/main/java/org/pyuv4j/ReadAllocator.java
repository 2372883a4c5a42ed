package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Where a stream's reads land (libuv's alloc_cb), and how many one readiness event takes. For
 * {@code startRead} streams every read goes into the loop's one 64 KiB buffer and is copied out into the
 * callback's {@code byte[]} at once, as pyuv does with its per-loop slab: at most 64 KiB per callback,
 * and no buffer allocated per read. For {@code startReadBuf} streams the callee may keep the buffer, so
 * each read gets its own pooled buffer, sized to recent reads (512 B to 64 KiB). Up to 16 reads per
 * readiness event; a read that does not fill its buffer ends the batch (libuv: 32 reads, same rule).
 *
 * <p>The channel's allocator and its one handle are both this object, the stream's reader
 * ({@link StreamReader} extends it): a connection carries no allocator objects besides its stream
 * (Netty's default is three per channel). The handle's state is reset by Netty at each read batch.
 */
abstract class ReadAllocator implements RecvByteBufAllocator, RecvByteBufAllocator.ExtendedHandle {
    static final int MAX_READ = 65536;
    private static final int MAX_READS_PER_EVENT = 16;
    /** Zero-copy buffer sizes are powers of two, 2^9 (512 B) to 2^16 (64 KiB), starting at 2 KiB. */
    private static final int MIN_GUESS_SHIFT = 9;
    private static final int MAX_GUESS_SHIFT = 16;
    private static final int INITIAL_GUESS_SHIFT = 11;

    private ChannelConfig config;
    /** The next zero-copy buffer's size (its log2), from recent reads. */
    private byte guessShift = INITIAL_GUESS_SHIFT;
    private byte smallReads;
    /** This batch: reads made, bytes read, and the last read's buffer room and result. */
    private int reads;
    private int bytesRead;
    private int attempted;
    private int last;

    /** {@return whether reads are handed over as buffers (not copied out of the loop's slab)} */
    abstract boolean zeroCopy();

    /** {@return the loop's read slab, or null while it is lent out} */
    abstract ByteBuf slab();

    @Override
    public final RecvByteBufAllocator.Handle newHandle() {
        return this;
    }

    @Override
    public final void reset(ChannelConfig config) {
        this.config = config;
        reads = 0;
        bytesRead = 0;
    }

    @Override
    public final ByteBuf allocate(ByteBufAllocator alloc) {
        if (zeroCopy()) {
            return alloc.ioBuffer(1 << guessShift, MAX_READ);
        }
        ByteBuf slab = slab();
        return slab != null ? slab : alloc.ioBuffer(MAX_READ);
    }

    @Override
    public final int guess() {
        return zeroCopy() ? 1 << guessShift : MAX_READ;
    }

    @Override
    public final void incMessagesRead(int numMessages) {
        reads += numMessages;
    }

    @Override
    public final void lastBytesRead(int bytes) {
        last = bytes;
        if (bytes <= 0) {
            return;
        }
        bytesRead += bytes;
        if (!zeroCopy()) {
            return;
        }
        int guess = 1 << guessShift;
        if (bytes >= guess) {
            guessShift = (byte) Math.min(MAX_GUESS_SHIFT, guessShift + 1);
            smallReads = 0;
        } else if (bytes <= guess >> 2 && guessShift > MIN_GUESS_SHIFT && ++smallReads >= 2) {
            guessShift--;
            smallReads = 0;
        }
    }

    @Override
    public final int lastBytesRead() {
        return last;
    }

    @Override
    public final void attemptedBytesRead(int bytes) {
        attempted = bytes;
    }

    @Override
    public final int attemptedBytesRead() {
        return attempted;
    }

    @Override
    public final boolean continueReading() {
        return mayReadMore() && attempted == last; // a read that filled its buffer may have left more
    }

    @Override
    public final boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        return mayReadMore() && maybeMoreDataSupplier.get();
    }

    private boolean mayReadMore() {
        return config.isAutoRead() && reads < MAX_READS_PER_EVENT && bytesRead > 0;
    }

    /** {@return the reads of this batch} For tests. */
    final int reads() {
        return reads;
    }

    @Override
    public final void readComplete() {
        // nothing to learn from a whole batch: the guess follows single reads
    }
}
