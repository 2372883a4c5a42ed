package org.pyuv4j;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Callbacks posted for a loop's poll phase from any thread (async sends, {@code execute()}, work
 * completions): a Treiber stack taken whole after each Netty run. Netty's own task queue is drained
 * until empty, tasks added meanwhile included, so a callback that re-posts itself would never leave
 * the poll phase; libuv instead delivers what was queued when the poll started and the rest one
 * iteration later.
 */
final class PostedTasks {
    private final AtomicReference<Node> top = new AtomicReference<>();

    /**
     * Pushes {@code task}; thread-safe.
     *
     * @return whether the stack was empty, so that no wake-up is outstanding: the loop takes the whole
     *     stack after every Netty run, so a push onto a non-empty stack is covered by the wake-up of the
     *     push that found it empty
     */
    boolean push(Runnable task) {
        Node node = new Node(task);
        Node head;
        do {
            head = top.get();
            node.next = head;
        } while (!top.compareAndSet(head, node));
        return head == null;
    }

    /** Runs the tasks posted before this call, oldest first; {@return how many ran} */
    int runAll() {
        Node batch = top.getAndSet(null);
        if (batch == null) {
            return 0;
        }
        Node fifo = null;
        int n = 0;
        while (batch != null) {
            Node next = batch.next;
            batch.next = fifo;
            fifo = batch;
            batch = next;
            n++;
        }
        for (Node p = fifo; p != null; p = p.next) {
            p.task.run();
        }
        return n;
    }

    private static final class Node {
        final Runnable task;
        Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }
}
