package org.pyuv4j.error;

/** Raised by {@link org.pyuv4j.TCP} methods ({@code pyuv.error.TCPError}). */
public class TCPError extends StreamError {
    private static final long serialVersionUID = 1L;

    /** @param errno a libuv error number */
    public TCPError(int errno) {
        super(errno);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     */
    public TCPError(int errno, String detail) {
        super(errno, detail);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     * @param cause  the underlying exception, or null
     */
    public TCPError(int errno, String detail, Throwable cause) {
        super(errno, detail, cause);
    }
}
