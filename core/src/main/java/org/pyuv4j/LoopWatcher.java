package org.pyuv4j;

import java.util.Objects;

/**
 * What {@link Idle}, {@link Prepare} and {@link Check} share: a handle that, while started, calls
 * its callback once per loop iteration in its phase (libuv's loop-watcher.c).
 *
 * @param <H> the concrete handle type
 */
abstract class LoopWatcher<H extends LoopWatcher<H>> extends Handle<H> {
    private final WatcherQueue queue;
    private HandleCallback<H> callback;

    LoopWatcher(Loop loop, WatcherQueue queue) {
        super(loop);
        this.queue = queue;
    }

    /**
     * Starts calling {@code callback} once per loop iteration; on a started handle it only replaces
     * the callback.
     *
     * @param callback called with the handle
     * @throws org.pyuv4j.error.HandleClosedError if the handle is closed
     */
    public void start(HandleCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        this.callback = Objects.requireNonNull(callback, "callback");
        if (!active()) {
            queue.insertHead(this);
            activate();
        }
    }

    /**
     * Stops the handle; does nothing if it is not started.
     *
     * @throws org.pyuv4j.error.HandleClosedError if the handle is closed
     */
    public void stop() {
        loop.checkThread();
        checkNotClosed();
        stopWatching();
    }

    private void stopWatching() {
        if (active()) {
            WatcherQueue.remove(this);
            deactivate();
        }
    }

    @Override
    void onClose() {
        stopWatching();
    }

    final void fire() {
        loop.callbacks.invoke(callback, self());
    }
}
