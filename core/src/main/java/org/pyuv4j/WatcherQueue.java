package org.pyuv4j;

/**
 * The list of started idle, prepare or check handles, run once per loop iteration with libuv's
 * rules: handles started later run first (they are pushed to the front); a handle stopped during
 * the phase is skipped; a handle started during the phase waits for the next iteration.
 * Intrusive, so starting and stopping allocate nothing.
 */
final class WatcherQueue {
    private final Handle<?> head = new Handle.ListHead();
    private final Handle<?> batch = new Handle.ListHead();

    WatcherQueue() {
        head.queuePrev = head;
        head.queueNext = head;
        batch.queuePrev = batch;
        batch.queueNext = batch;
    }

    boolean isEmpty() {
        return head.queueNext == head;
    }

    void insertHead(Handle<?> h) {
        link(head, h);
    }

    static void remove(Handle<?> h) {
        if (h.queueNext == null) {
            return;
        }
        h.queuePrev.queueNext = h.queueNext;
        h.queueNext.queuePrev = h.queuePrev;
        h.queuePrev = null;
        h.queueNext = null;
    }

    /** libuv's uv__run_idle/prepare/check: move the list aside, then run it handle by handle. */
    void run(Loop loop) {
        if (isEmpty()) {
            return;
        }
        // QUEUE_MOVE(head, batch)
        batch.queueNext = head.queueNext;
        batch.queuePrev = head.queuePrev;
        batch.queueNext.queuePrev = batch;
        batch.queuePrev.queueNext = batch;
        head.queueNext = head;
        head.queuePrev = head;
        while (batch.queueNext != batch) {
            Handle<?> h = batch.queueNext;
            remove(h);
            // back onto the live list's tail before the callback, which may stop or close it
            Handle<?> tail = head.queuePrev;
            h.queuePrev = tail;
            h.queueNext = head;
            tail.queueNext = h;
            head.queuePrev = h;
            ((LoopWatcher<?>) h).fire();
        }
    }

    private static void link(Handle<?> after, Handle<?> h) {
        h.queuePrev = after;
        h.queueNext = after.queueNext;
        after.queueNext.queuePrev = h;
        after.queueNext = h;
    }
}
