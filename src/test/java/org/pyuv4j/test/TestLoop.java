package org.pyuv4j.test;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pyuv4j.Loop;
import org.pyuv4j.RunMode;

/**
 * pyuv's {@code tests/common.py TestLoop}: the first exception thrown by any callback (an assertion
 * inside a callback included) is recorded and stops the loop, and {@link #run(RunMode)} rethrows it,
 * so a failing callback fails the test.
 *
 * <p>A watchdog also bounds every {@code run()}: JUnit's {@code @Timeout} interrupts the test
 * thread, but a loop blocked in epoll (or in NIO, whose handler swallows the interrupt) never sees
 * it, so a lost wake-up would hang the build. After {@link #WATCHDOG_SECONDS} the watchdog calls the
 * thread-safe {@link #stop()} and {@code run()} fails.
 */
public class TestLoop extends Loop {
    /** How long one {@code run()} may take before the watchdog stops it and fails the test. */
    public static final long WATCHDOG_SECONDS = 30;
    private static final ScheduledThreadPoolExecutor WATCHDOG = newWatchdog();

    private Throwable failure;

    private static ScheduledThreadPoolExecutor newWatchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "TestLoop-watchdog");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true); // thousands of short runs must not pile up cancelled tasks
        return e;
    }

    public TestLoop() {
        super();
        setExcepthook((loop, error) -> {
            if (failure == null) {
                failure = error;
                loop.stop();
            }
        });
    }

    @Override
    public boolean run(RunMode mode) {
        failure = null;
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            fired.set(true);
            stop();
        }, WATCHDOG_SECONDS, TimeUnit.SECONDS);
        boolean alive;
        try {
            alive = super.run(mode);
        } finally {
            watchdog.cancel(false);
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new AssertionError("callback failed", f);
        }
        if (fired.get()) {
            throw new AssertionError("run(" + mode + ") did not return within " + WATCHDOG_SECONDS
                    + " s; stopped by the test watchdog");
        }
        return alive;
    }
}
