package org.pyuv4j;

/**
 * The read callback of {@link Stream#startReadMessages}: the objects the stream's Netty pipeline
 * delivers (what a decoder in front of pyuv4j's handler produces: a {@code String}, an HTTP message,
 * a frame {@code ByteBuf}...), one call per object, with pyuv's error convention.
 *
 * <p><b>Ownership:</b> a reference-counted message is released when the callback returns; a callee
 * that keeps it must {@code retain()} it (and later release it). {@code message} is {@code null} when
 * {@code error} is not ({@link Errno#UV_EOF} at end of stream).
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface MessageCallback<H extends Handle<H>> {
    /**
     * Called on the loop thread with each message, at end of stream, or on a read error.
     *
     * @param handle  the stream
     * @param message the message, or {@code null} with an error
     * @param error   {@code null} with a message, else a negative libuv error number
     */
    void call(H handle, Object message, Integer error);
}
