package org.pyuv4j;

/** A unit of work queued with {@link Loop#queueWork(Runnable, java.util.function.Consumer)}. */
public interface WorkRequest {
    /**
     * Cancels the work if no pool thread has started it; its {@code done} callback then gets
     * {@link Errno#UV_ECANCELED} on the loop thread.
     *
     * @return {@code true} if the work was cancelled, {@code false} if it already started or finished
     */
    boolean cancel();
}
