package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * pyuv's per-loop read slab ({@code PYUV_SLAB_SIZE}): one 64 KiB buffer that every copying read of a
 * loop lands in, copied out into the callback's {@code byte[]} at once (see {@link ReadAllocator}).
 * Loop-thread only.
 */
final class ReadSlab {
    private ByteBuf slab;

    /**
     * Lends the buffer to a read, cleared, with one more reference that the reader releases after
     * copying the bytes out; {@code null} while it is lent already.
     */
    ByteBuf borrow() {
        ByteBuf s = slab;
        if (s == null) {
            // A JDK direct buffer wrapped without leak tracking: it lives as long as the loop, and if the
            // loop is never closed the JDK's cleaner frees it.
            s = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(ReadAllocator.MAX_READ)).clear();
            slab = s;
        } else if (s.refCnt() != 1) {
            return null;
        }
        return s.retain().clear();
    }

    /** {@return whether {@code buf} is the slab itself} */
    boolean is(ByteBuf buf) {
        return buf == slab;
    }

    /** The loop closes. */
    void free() {
        if (slab != null) {
            slab.release();
            slab = null;
        }
    }
}
