package org.pyuv4j;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections handed to a loop by another loop's listener ({@link TCP#acceptTo}), on their way to
 * this loop's poll phase: the in-process twin of passing a socket over a pipe. A hand-off keeps the
 * loop alive until it is delivered; one that finds the loop closed, or is still on its way when the
 * loop closes, is discarded (its connection closed), never leaked and never a reason for
 * {@code close()} to refuse. Thread-safe.
 */
final class HandOffs {
    private final Loop loop;
    private final Set<HandOff> onTheWay = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();

    HandOffs(Loop loop) {
        this.loop = loop;
    }

    /** {@return how many hand-offs are on their way} */
    int pending() {
        return pending.get();
    }

    /**
     * Sends a hand-off to this loop, from any thread.
     *
     * @param deliver runs on this loop's thread, in its poll phase, as a callback
     * @param discard closes the connection when it cannot be delivered (any thread)
     */
    void send(Runnable deliver, Runnable discard) {
        HandOff h = new HandOff(discard);
        pending.incrementAndGet();
        onTheWay.add(h);
        try {
            loop.post(() -> {
                if (h.take()) {
                    loop.callbacks.invoke(deliver);
                }
            });
        } catch (RejectedExecutionException closed) {
            h.discardIfTaken();
        }
        if (loop.isClosedForHandOffs()) {
            h.discardIfTaken(); // the loop closed meanwhile and may have drained the set before this add
        }
    }

    /** The loop closes: what is still on its way is discarded. */
    void discardAll() {
        for (HandOff h : onTheWay) {
            h.discardIfTaken();
        }
    }

    private final class HandOff {
        private final AtomicBoolean taken = new AtomicBoolean();
        private final Runnable discard;

        HandOff(Runnable discard) {
            this.discard = discard;
        }

        /** Whoever takes it first (the loop, or a discard) handles it. */
        boolean take() {
            if (!taken.compareAndSet(false, true)) {
                return false;
            }
            onTheWay.remove(this);
            pending.decrementAndGet();
            return true;
        }

        void discardIfTaken() {
            if (take()) {
                discard.run();
            }
        }
    }
}
