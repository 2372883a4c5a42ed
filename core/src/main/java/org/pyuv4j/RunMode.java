package org.pyuv4j;

/** How {@link Loop#run(RunMode)} runs: pyuv's {@code UV_RUN_DEFAULT}, {@code UV_RUN_ONCE}, {@code UV_RUN_NOWAIT}. */
public enum RunMode {
    /** Run until no active and referenced handles or requests remain, or {@link Loop#stop()} is called. */
    DEFAULT,
    /** Run one iteration, blocking for I/O if there are no pending callbacks. */
    ONCE,
    /** Run one iteration without blocking. */
    NOWAIT
}
