package org.pyuv4j;

/**
 * A request's completion callback: {@code listen}, {@code connect}, {@code write} and
 * {@code shutdown}. pyuv's {@code callback(handle, error)}.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface StatusCallback<H extends Handle<H>> {
    /**
     * Called on the loop thread, inside {@link Loop#run()}, never from inside the call that
     * started the request.
     *
     * @param handle the handle
     * @param error  {@code null} on success, else a negative libuv error number from {@link Errno}
     */
    void call(H handle, Integer error);
}
