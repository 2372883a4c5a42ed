package org.pyuv4j.error;

/** Raised by {@link org.pyuv4j.Async} methods ({@code pyuv.error.AsyncError}). */
public class AsyncError extends HandleError {
    private static final long serialVersionUID = 1L;

    /** @param errno a libuv error number */
    public AsyncError(int errno) {
        super(errno);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     */
    public AsyncError(int errno, String detail) {
        super(errno, detail);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     * @param cause  the underlying exception, or null
     */
    public AsyncError(int errno, String detail, Throwable cause) {
        super(errno, detail, cause);
    }
}
