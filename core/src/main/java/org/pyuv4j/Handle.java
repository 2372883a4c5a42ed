package org.pyuv4j;

import java.util.Objects;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.UVError;

/**
 * Base of every handle ({@code pyuv.Handle}): a long-lived object bound to one {@link Loop}.
 *
 * <p>State follows libuv: a handle is <em>active</em> while it has work to do (a started timer,
 * a reading or listening stream...); an active handle that is <em>referenced</em> ({@link #isRef()},
 * the default) keeps {@link Loop#run()} going. {@link #close(HandleCallback)} starts closing at once
 * and calls its callback in the loop's closing phase; close callbacks of one iteration run in
 * reverse order of the {@code close()} calls, as libuv's.
 *
 * <p>Handles are not thread-safe, as in pyuv: once the loop has run, they may only be used from
 * the thread that runs it ({@link IllegalStateException} otherwise).
 *
 * @param <H> the concrete handle type, passed back to callbacks
 */
public abstract class Handle<H extends Handle<H>> {
    static final int ACTIVE = 1;
    static final int REF = 1 << 1;
    static final int CLOSING = 1 << 2;
    static final int CLOSED = 1 << 3;

    /** The loop for internal use; stays set after the close callback (pyuv clears only {@link #getLoop()}). */
    final Loop loop;
    private boolean detached;
    int flags = REF;
    private HandleCallback<H> closeCallback;

    // Intrusive links: the loop's handle list and its closing stack (a phase queue's are LoopWatcher's).
    Handle<?> prevHandle;
    Handle<?> nextHandle;
    Handle<?> nextClosing;

    /** Only for list sentinels: no loop, linked to itself. */
    Handle() {
        this.loop = null;
        this.prevHandle = this;
        this.nextHandle = this;
    }

    Handle(Loop loop) {
        Objects.requireNonNull(loop, "loop");
        loop.checkThread();
        loop.checkOpen();
        this.loop = loop;
        loop.addHandle(this);
    }

    /**
     * {@return the loop, or {@code null} once the close callback has run (as pyuv's {@code handle.loop})}
     */
    public Loop getLoop() {
        loop.checkThread();
        return detached ? null : loop;
    }

    /**
     * {@return whether the handle has work in progress (libuv {@code uv_is_active})}
     */
    public boolean isActive() {
        loop.checkThread();
        return active();
    }

    /**
     * {@return {@code true} from the {@code close()} call on (pyuv {@code closed}, libuv {@code uv_is_closing})}
     */
    public boolean isClosed() {
        loop.checkThread();
        return closing();
    }

    /**
     * {@return whether this handle, while active, keeps the loop running (false after its close callback)}
     */
    public boolean isRef() {
        loop.checkThread();
        return (flags & REF) != 0;
    }

    /**
     * Sets whether this handle keeps the loop alive while active. Allowed on closed handles.
     *
     * @param ref {@code true} for uv_ref, {@code false} for uv_unref
     */
    public void setRef(boolean ref) {
        loop.checkThread();
        if (ref == ((flags & REF) != 0)) {
            return;
        }
        if (ref) {
            flags |= REF;
        } else {
            flags &= ~REF;
        }
        if ((flags & (ACTIVE | CLOSING)) == ACTIVE) {
            loop.activeHandles += ref ? 1 : -1;
        }
    }

    /**
     * Closes the handle without a callback.
     *
     * @throws HandleClosedError if the handle is already closing or closed
     */
    public void close() {
        close(null);
    }

    /**
     * Closes the handle: stops it, releases its OS resources now, and calls {@code callback} in the
     * closing phase of the current or next loop iteration, after any pending request callbacks
     * (which get {@link Errno#UV_ECANCELED}).
     *
     * @param callback called with the handle once closed, or {@code null}
     * @throws HandleClosedError if the handle is already closing or closed (close is not idempotent)
     */
    public void close(HandleCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        flags |= CLOSING;
        closeCallback = callback;
        onClose();
        if ((flags & ACTIVE) != 0) {
            deactivate();
        }
        loop.makeClosePending(this);
    }

    /** Type-specific part of {@code close()}: stop work and release resources. */
    abstract void onClose();

    /** Type-specific part of the closing phase, before the close callback (streams cancel requests). */
    void onFinishClose() {
    }

    /** An error of this handle's type ({@code TCPError} for TCP...). */
    abstract HandleError error(int errno, String detail);

    final HandleError error(int errno) {
        return error(errno, null);
    }

    final HandleError error(UVError cause) {
        return error(cause.errno(), cause.detail());
    }

    /** Closing phase: libuv's uv__finish_close. */
    final void finishClose() {
        flags |= CLOSED;
        onFinishClose();
        flags &= ~REF;
        loop.removeHandle(this);
        HandleCallback<H> cb = closeCallback;
        closeCallback = null;
        if (cb != null) {
            loop.callbacks.invoke(cb, self());
        }
        detached = true;
    }

    /** {@link #isClosed()} without the thread check, for internal use. */
    final boolean closing() {
        return (flags & CLOSING) != 0;
    }

    /** {@link #isActive()} without the thread check, for internal use. */
    final boolean active() {
        return (flags & ACTIVE) != 0;
    }

    final void checkNotClosed() {
        if ((flags & CLOSING) != 0) {
            throw new HandleClosedError();
        }
    }

    /** uv__handle_start. */
    final void activate() {
        if ((flags & ACTIVE) != 0) {
            return;
        }
        flags |= ACTIVE;
        if ((flags & REF) != 0) {
            loop.activeHandles++;
        }
    }

    /** uv__handle_stop. */
    final void deactivate() {
        if ((flags & ACTIVE) == 0) {
            return;
        }
        flags &= ~ACTIVE;
        if ((flags & REF) != 0) {
            loop.activeHandles--;
        }
    }

    @SuppressWarnings("unchecked")
    final H self() {
        return (H) this;
    }

    /**
     * The head of an intrusive list of handles (the loop's handle list, a watcher queue): a node that
     * is never a real handle, so it has nothing to close and no errors of its own.
     */
    static final class ListHead extends Handle<ListHead> {
        @Override
        void onClose() {
        }

        @Override
        HandleError error(int errno, String detail) {
            return new HandleError(errno, detail);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + (closing() ? "[closed]" : active() ? "[active]" : "");
    }
}
