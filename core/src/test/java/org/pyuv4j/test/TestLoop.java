package org.pyuv4j.test;

import org.pyuv4j.Loop;
import org.pyuv4j.RunMode;

/**
 * pyuv's {@code tests/common.py TestLoop}: the first exception thrown by any callback (an assertion
 * inside a callback included) is recorded and stops the loop, and {@link #run(RunMode)} rethrows it,
 * so a failing callback fails the test.
 */
public class TestLoop extends Loop {
    private Throwable failure;

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
        boolean alive = super.run(mode);
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
        return alive;
    }
}
