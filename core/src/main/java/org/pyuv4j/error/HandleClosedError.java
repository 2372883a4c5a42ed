package org.pyuv4j.error;

/**
 * Raised by a handle method once {@code close()} was called on the handle
 * ({@code pyuv.error.HandleClosedError}). Its message is {@code "Handle is closing/closed"} and it has
 * no errno ({@link #errno()} is 0).
 */
public class HandleClosedError extends HandleError {
    private static final long serialVersionUID = 1L;

    /** The one message pyuv uses. */
    public static final String MESSAGE = "Handle is closing/closed";

    /** Creates the error with pyuv's message. */
    public HandleClosedError() {
        super(MESSAGE);
    }
}
