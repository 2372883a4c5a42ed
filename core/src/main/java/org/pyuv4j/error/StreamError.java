package org.pyuv4j.error;

/** Base of stream errors ({@code pyuv.error.StreamError}); stream methods raise the concrete subclass, e.g. {@link TCPError}. */
public class StreamError extends HandleError {
    private static final long serialVersionUID = 1L;

    /** @param errno a libuv error number */
    public StreamError(int errno) {
        super(errno);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     */
    public StreamError(int errno, String detail) {
        super(errno, detail);
    }

    /**
     * @param errno  a libuv error number
     * @param detail extra explanation, or null
     * @param cause  the underlying exception, or null
     */
    public StreamError(int errno, String detail, Throwable cause) {
        super(errno, detail, cause);
    }
}
