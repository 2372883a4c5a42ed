package org.pyuv4j;

/**
 * The list of started idle, prepare or check handles, run once per loop iteration with libuv's
 * rules: handles started later run first (they are pushed to the front); a handle stopped during
 * the phase is skipped; a handle started during the phase waits for the next iteration.
 * Intrusive, so starting and stopping allocate nothing.
 */
final class WatcherQueue {
    private final LoopWatcher<?> head = new LoopWatcher.ListHead();
    private final LoopWatcher<?> batch = new LoopWatcher.ListHead();

    WatcherQueue() {
        head.queuePrev = head;
        head.queueNext = head;
        batch.queuePrev = batch;
        batch.queueNext = batch;
    }

    boolean isEmpty() {
        return head.queueNext == head;
    }

    void insertHead(LoopWatcher<?> h) {
        link(head, h);
    }

    static void remove(LoopWatcher<?> h) {
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
            LoopWatcher<?> h = batch.queueNext;
            remove(h);
            // back onto the live list's tail before the callback, which may stop or close it
            LoopWatcher<?> tail = head.queuePrev;
            h.queuePrev = tail;
            h.queueNext = head;
            tail.queueNext = h;
            head.queuePrev = h;
            h.fire();
        }
    }

    private static void link(LoopWatcher<?> after, LoopWatcher<?> h) {
        h.queuePrev = after;
        h.queueNext = after.queueNext;
        after.queueNext.queuePrev = h;
        after.queueNext = h;
    }
}
