package org.pyuv4j;

/**
 * A callback that receives only its handle: close callbacks and the callbacks of {@link Timer},
 * {@link Async}, {@link Idle}, {@link Prepare} and {@link Check}.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface HandleCallback<H extends Handle<H>> {
    /**
     * Called on the loop thread, inside {@link Loop#run()}.
     *
     * @param handle the handle the callback was registered on
     */
    void call(H handle);
}
