package org.pyuv4j.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bounded waits on latches, for the tests that hand work between the loop thread and others. */
public final class Latches {
    private Latches() {
    }

    /**
     * Waits for {@code latch}, at most 10 s.
     *
     * @throws AssertionError if it was not released in time
     */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
