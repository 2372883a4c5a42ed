package org.pyuv4j;

import org.pyuv4j.error.IdleError;
import org.pyuv4j.error.HandleError;

/**
 * An idle handle ({@code pyuv.Idle}): its callback runs once per loop iteration, before prepare handles, and while any idle handle is started the loop polls for I/O without blocking.
 * Several started handles of one kind run in reverse order of their {@code start()} calls, as libuv's.
 */
public final class Idle extends LoopWatcher<Idle> {
    /**
     * Creates a stopped idle handle on {@code loop}.
     *
     * @param loop the loop
     */
    public Idle(Loop loop) {
        super(loop, loop.idles);
    }

    @Override
    HandleError error(int errno, String detail) {
        return new IdleError(errno, detail);
    }
}
