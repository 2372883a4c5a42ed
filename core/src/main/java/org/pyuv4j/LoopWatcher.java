package org.pyuv4j;

import java.util.Objects;
import org.pyuv4j.error.HandleError;

/**
 * What {@link Idle}, {@link Prepare} and {@link Check} share: a handle that, while started, calls
 * its callback once per loop iteration in its phase (libuv's loop-watcher.c).
 *
 * @param <H> the concrete handle type
 */
abstract class LoopWatcher<H extends LoopWatcher<H>> extends Handle<H> {
    private final WatcherQueue queue;
    private HandleCallback<H> callback;
    /** Intrusive links of the phase queue ({@link WatcherQueue}); null while not queued. */
    LoopWatcher<?> queuePrev;
    LoopWatcher<?> queueNext;

    LoopWatcher(Loop loop, WatcherQueue queue) {
        super(loop);
        this.queue = queue;
    }

    /** Only for a queue's sentinels: no loop. */
    private LoopWatcher() {
        this.queue = null;
    }

    /** A phase queue's sentinel. */
    static final class ListHead extends LoopWatcher<ListHead> {
        @Override
        HandleError error(int errno, String detail) {
            return new HandleError(errno, detail);
        }
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
