package org.pyuv4j.test;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.function.BooleanSupplier;

/** Garbage-collection helpers for the tests that port pyuv's weakref checks. */
public final class Gc {
    private Gc() {
    }

    /** Runs a full collection and waits until the reference handler has processed it. */
    public static void collect() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), queue);
        for (int attempt = 0; attempt < 5; attempt++) {
            System.gc();
            try {
                if (queue.remove(1000) != null) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        canary.clear();
    }

    /** Collects up to a few times until {@code condition} holds (the caller asserts it afterwards). */
    public static void collectUntil(BooleanSupplier condition) {
        for (int attempt = 0; attempt < 10 && !condition.getAsBoolean(); attempt++) {
            collect();
        }
    }
}
