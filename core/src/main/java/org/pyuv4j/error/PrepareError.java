package org.pyuv4j.error;

/** Raised by {@link org.pyuv4j.Prepare} methods ({@code pyuv.error.PrepareError}). */
public class PrepareError extends HandleError {
    private static final long serialVersionUID = 1L;

    /** @param errno a libuv error number */
    public PrepareError(int errno) {
        super(errno);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     */
    public PrepareError(int errno, String detail) {
        super(errno, detail);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     * @param cause  the underlying exception, or null
     */
    public PrepareError(int errno, String detail, Throwable cause) {
        super(errno, detail, cause);
    }
}
