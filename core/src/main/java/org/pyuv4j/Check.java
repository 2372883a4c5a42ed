package org.pyuv4j;

import org.pyuv4j.error.CheckError;
import org.pyuv4j.error.HandleError;

/**
 * A check handle ({@code pyuv.Check}): its callback runs once per loop iteration, right after the loop polled for I/O.
 * Several started handles of one kind run in reverse order of their {@code start()} calls, as libuv's.
 */
public final class Check extends LoopWatcher<Check> {
    /**
     * Creates a stopped check handle on {@code loop}.
     *
     * @param loop the loop
     */
    public Check(Loop loop) {
        super(loop, loop.checks);
    }

    @Override
    HandleError error(int errno, String detail) {
        return new CheckError(errno, detail);
    }
}
