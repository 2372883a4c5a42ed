package org.pyuv4j;

import java.util.Arrays;

/**
 * libuv's timer heap: a binary min-heap of started timers ordered by due time, then by start order
 * (so timers due at the same time fire in the order they were started). Each timer knows its slot,
 * so stopping one is O(log n) and nothing is allocated per start or stop.
 */
final class TimerHeap {
    private Timer[] heap = new Timer[16];
    private int size;

    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return ms until the first timer is due (0 if overdue), or -1 when there is none */
    long nextTimeout(long now) {
        if (size == 0) {
            return -1;
        }
        long diff = heap[0].due - now;
        if (diff <= 0) {
            return 0;
        }
        return Math.min(diff, Integer.MAX_VALUE);
    }

    void add(Timer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.heapIndex = size;
        size++;
        up(t.heapIndex);
    }

    void remove(Timer t) {
        int i = t.heapIndex;
        if (i < 0) {
            return;
        }
        size--;
        Timer last = heap[size];
        heap[size] = null;
        t.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            if (!up(i)) {
                down(i);
            }
        }
    }

    private static boolean less(Timer a, Timer b) {
        return a.due < b.due || (a.due == b.due && a.startId < b.startId);
    }

    private boolean up(int i) {
        boolean moved = false;
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
            moved = true;
        }
        heap[i] = t;
        t.heapIndex = i;
        return moved;
    }

    private void down(int i) {
        Timer t = heap[i];
        for (;;) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(heap[child + 1], heap[child])) {
                child++;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
