package org.pyuv4j;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pyuv4j.error.AsyncError;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.HandleError;

/**
 * An async handle ({@code pyuv.Async}): wakes the loop from any thread. {@link #send()} is
 * thread-safe; sends that arrive before the callback runs are coalesced into one call, and a send
 * made while the callback runs causes another call, in the next loop iteration (so an async that
 * keeps sending itself cannot starve the other phases). The callback runs in the poll phase. The
 * handle is active (keeps the loop alive) until closed.
 */
public final class Async extends Handle<Async> {
    private final HandleCallback<Async> callback;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean sendClosed;
    private final Runnable delivery = this::deliver;

    /**
     * Creates an async handle on {@code loop}; it is active (keeps the loop alive) until closed.
     *
     * @param loop     the loop
     * @param callback called on the loop thread after {@link #send()}, or {@code null} to only wake the loop
     */
    public Async(Loop loop, HandleCallback<Async> callback) {
        super(loop);
        this.callback = callback;
        activate();
    }

    /**
     * Wakes the loop and schedules the callback, from any thread.
     *
     * @throws HandleClosedError if the handle is closed
     */
    public void send() {
        if (sendClosed) {
            throw new HandleClosedError();
        }
        if (pending.compareAndSet(false, true)) {
            try {
                loop.post(delivery);
            } catch (RejectedExecutionException e) {
                pending.set(false); // the loop was closed meanwhile
            }
        }
    }

    private void deliver() {
        if (closing()) {
            return;
        }
        // Clear before calling back: a send() during the callback must cause another call.
        pending.set(false);
        if (callback != null) {
            loop.callbacks.invoke(callback, this);
        }
    }

    @Override
    void onClose() {
        sendClosed = true;
    }

    @Override
    HandleError error(int errno, String detail) {
        return new AsyncError(errno, detail);
    }
}
