package org.pyuv4j;

import org.pyuv4j.error.PrepareError;
import org.pyuv4j.error.HandleError;

/**
 * A prepare handle ({@code pyuv.Prepare}): its callback runs once per loop iteration, right before the loop polls for I/O.
 * Several started handles of one kind run in reverse order of their {@code start()} calls, as libuv's.
 */
public final class Prepare extends LoopWatcher<Prepare> {
    /**
     * Creates a stopped prepare handle on {@code loop}.
     *
     * @param loop the loop
     */
    public Prepare(Loop loop) {
        super(loop, loop.prepares);
    }

    @Override
    HandleError error(int errno, String detail) {
        return new PrepareError(errno, detail);
    }
}
