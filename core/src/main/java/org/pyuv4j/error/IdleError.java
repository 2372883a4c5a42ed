package org.pyuv4j.error;

/** Raised by {@link org.pyuv4j.Idle} methods ({@code pyuv.error.IdleError}). */
public class IdleError extends HandleError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error for {@code errno}, with libuv's message for it.
     *
     * @param errno a libuv error number
     */
    public IdleError(int errno) {
        super(errno);
    }

    /**
     * Creates the error for {@code errno}, with libuv's message and a detail.
     *
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     */
    public IdleError(int errno, String detail) {
        super(errno, detail);
    }

    /**
     * Creates the error for {@code errno}, with libuv's message, a detail and a cause.
     *
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     * @param cause  the underlying exception, or null
     */
    public IdleError(int errno, String detail, Throwable cause) {
        super(errno, detail, cause);
    }
}
