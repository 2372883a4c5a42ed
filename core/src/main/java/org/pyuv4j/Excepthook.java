package org.pyuv4j;

/**
 * Receives every exception a callback throws ({@code loop.excepthook} in pyuv); see
 * {@link Loop#setExcepthook(Excepthook)}. The loop keeps running after the hook returns.
 */
@FunctionalInterface
public interface Excepthook {
    /**
     * Called on the loop thread with what a callback threw.
     *
     * @param loop  the loop whose callback threw
     * @param error what it threw
     */
    void handle(Loop loop, Throwable error);
}
