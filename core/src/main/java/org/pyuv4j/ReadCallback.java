package org.pyuv4j;

/**
 * The read callback of {@link Stream#startRead}: pyuv's {@code callback(handle, data, error)}.
 *
 * <p>Data arrives as {@code (handle, bytes, null)} with 1 to 65536 bytes that the callee owns; end of
 * stream as {@code (handle, null, Errno.UV_EOF)}; a read error as {@code (handle, null, errno)}.
 * Reading has already stopped when an EOF or error callback runs.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface ReadCallback<H extends Handle<H>> {
    /**
     * Called on the loop thread with each chunk read, at end of stream, or on a read error.
     *
     * @param handle the stream
     * @param data   the bytes read (a fresh array the callee may keep), or {@code null} with an error
     * @param error  {@code null} with data, else a negative libuv error number
     */
    void call(H handle, byte[] data, Integer error);
}
