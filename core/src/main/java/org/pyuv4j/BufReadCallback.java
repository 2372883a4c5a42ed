package org.pyuv4j;

import io.netty.buffer.ByteBuf;

/**
 * The zero-copy read callback of {@link Stream#startReadBuf}.
 *
 * <p><b>Buffer ownership:</b> {@code data} belongs to the stream. It is valid only during the call and
 * is released when the callback returns; a callee that keeps it must {@code retain()} it (and later
 * {@code release()} it). {@code data} is {@code null} when {@code error} is not.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface BufReadCallback<H extends Handle<H>> {
    /**
     * Called on the loop thread with each chunk read, at end of stream, or on a read error.
     *
     * @param handle the stream
     * @param data   the bytes read (1 to 65536 readable bytes), or {@code null} with an error
     * @param error  {@code null} with data, else a negative libuv error number ({@link Errno#UV_EOF} at end of stream)
     */
    void call(H handle, ByteBuf data, Integer error);
}
