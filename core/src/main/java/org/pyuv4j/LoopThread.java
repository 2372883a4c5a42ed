package org.pyuv4j;

import io.netty.channel.ManualIoEventLoop;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which thread a {@link Loop} belongs to: none until the first {@code run()}, whose thread owns it for
 * good (pyuv's rule: handles are used from that thread only). Before that, any thread may set handles
 * up, and is lent Netty's event-loop identity for the duration so that Netty performs socket
 * operations inside the call, as libuv does ({@code connect(2)} in {@code connect()}, {@code close(2)}
 * in {@code close()}...), instead of queueing them until the loop runs.
 */
final class LoopThread {
    /** ManualIoEventLoop's owner slot, or null when Netty's internals are not accessible. */
    private static final Field NETTY_OWNER = nettyOwnerField();

    private final ManualIoEventLoop io;
    private volatile Thread owner;
    private volatile Thread provisionalOwner;

    LoopThread(ManualIoEventLoop io) {
        this.io = io;
    }

    /** {@return the owner, or null before the first run()} */
    Thread owner() {
        return owner;
    }

    /**
     * Checks that the caller may use the loop's handles now: the owner, or anyone before the first run.
     *
     * @throws IllegalStateException naming both threads otherwise
     */
    void check() {
        Thread o = owner;
        Thread current = Thread.currentThread();
        if (o == current) {
            return;
        }
        if (o != null) {
            throw new IllegalStateException("pyuv4j handles are not thread-safe: this loop is run by thread '"
                    + o.getName() + "' but was used from thread '" + current.getName() + "'");
        }
        lendTo(current);
    }

    /** Before the first run(), the caller acts as the loop's thread (as in {@link #check()}); else nothing. */
    void lendIfUnowned() {
        if (owner == null) {
            lendTo(Thread.currentThread());
        }
    }

    private void lendTo(Thread current) {
        if (NETTY_OWNER == null || provisionalOwner == current) {
            return;
        }
        synchronized (this) {
            if (owner == null) {
                nettyOwner().set(current);
                provisionalOwner = current;
            }
        }
    }

    /**
     * The first run() hands the loop to its thread for good; later ones must come from that thread.
     *
     * @throws IllegalStateException when called from another thread than the owner
     */
    void claim() {
        Thread current = Thread.currentThread();
        Thread o = owner;
        if (o == null) {
            synchronized (this) {
                if (owner == null) {
                    if (NETTY_OWNER != null) {
                        nettyOwner().set(current);
                    } else {
                        io.setOwningThread(current);
                    }
                    owner = current;
                    return;
                }
                o = owner;
            }
        }
        if (o != current) {
            throw new IllegalStateException("Loop.run() called from thread '" + current.getName()
                    + "' but this loop is owned by thread '" + o.getName() + "' (the thread of its first run())");
        }
    }

    @SuppressWarnings("unchecked")
    private AtomicReference<Thread> nettyOwner() {
        try {
            return (AtomicReference<Thread>) NETTY_OWNER.get(io);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field nettyOwnerField() {
        try {
            Field f = ManualIoEventLoop.class.getDeclaredField("owningThread");
            if (f.getType() != AtomicReference.class) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // then Netty queues pre-run operations until the first run()
        }
    }
}
