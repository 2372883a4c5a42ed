package org.pyuv4j.error;

import org.pyuv4j.Errno;

/**
 * Root of pyuv4j's exceptions ({@code pyuv.error.UVError}). It carries a libuv error number
 * ({@link #errno()}, one of {@link Errno}'s constants) and libuv's message for it
 * ({@link #getMessage()} is exactly {@code Errno.strerror(errno())}, as pyuv's {@code args[1]}).
 *
 * <p>An optional {@link #detail()} says more about the cause (for example why a transport is not
 * available); it is shown by {@link #toString()} but never changes {@link #getMessage()}.
 */
public class UVError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The libuv error number, or 0 for errors that have none. */
    private final int errno;
    /** Extra explanation of the cause, or null. */
    private final String detail;

    /**
     * Creates the error for {@code errno}, with libuv's message for it.
     *
     * @param errno a libuv error number from {@link Errno}
     */
    public UVError(int errno) {
        this(errno, null, null);
    }

    /**
     * Creates the error for {@code errno}, with libuv's message and a detail.
     *
     * @param errno  a libuv error number from {@link Errno}
     * @param detail extra explanation shown by {@link #toString()}, or {@code null}
     */
    public UVError(int errno, String detail) {
        this(errno, detail, null);
    }

    /**
     * Creates the error for {@code errno}, with libuv's message, a detail and a cause.
     *
     * @param errno  a libuv error number from {@link Errno}
     * @param detail extra explanation shown by {@link #toString()}, or {@code null}
     * @param cause  the underlying exception, or {@code null}
     */
    public UVError(int errno, String detail, Throwable cause) {
        super(Errno.strerror(errno), cause);
        this.errno = errno;
        this.detail = detail;
    }

    /** For errors that have a message but no errno ({@link HandleClosedError}). */
    UVError(String message) {
        super(message);
        this.errno = 0;
        this.detail = null;
    }

    /**
     * {@return the libuv error number (negative), or 0 for {@link HandleClosedError}}
     */
    public int errno() {
        return errno;
    }

    /**
     * {@return extra explanation of the cause, or {@code null}}
     */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        String name = Errno.errorcode(errno);
        StringBuilder sb = new StringBuilder(getClass().getName()).append(": ");
        if (name != null || errno != 0) {
            sb.append('(').append(errno).append(", '").append(getMessage()).append("')");
        } else {
            sb.append(getMessage());
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }
}
