package org.pyuv4j.internal;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;

/**
 * The one place where Netty's and the JDK's exceptions become libuv error numbers. Internal.
 *
 * <p>Order of evidence, most precise first: a {@link UVError} we raised ourselves; a native errno
 * anywhere in the cause chain ({@link Errors.NativeIoException#expectedErr()}, or Netty's
 * "error(-N)" message for native connect failures); the OS's strerror text (the JDK puts it in
 * the message); finally the exception class.
 */
public final class ErrnoMapper {
    private static final Pattern NATIVE_ERRNO = Pattern.compile("error\\((-?\\d+)\\)");
    private static final boolean DARWIN_ERRNOS;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        DARWIN_ERRNOS = os.contains("mac") || os.contains("darwin") || os.contains("bsd");
    }

    /** strerror texts (glibc and BSD spellings, plus the JDK's own) to libuv codes. */
    private static final Map<String, Integer> MESSAGES = Map.ofEntries(
            Map.entry("connection refused", Errno.UV_ECONNREFUSED),
            Map.entry("connection reset by peer", Errno.UV_ECONNRESET),
            Map.entry("connection reset", Errno.UV_ECONNRESET),
            Map.entry("broken pipe", Errno.UV_EPIPE),
            Map.entry("address already in use", Errno.UV_EADDRINUSE),
            Map.entry("cannot assign requested address", Errno.UV_EADDRNOTAVAIL),
            Map.entry("can't assign requested address", Errno.UV_EADDRNOTAVAIL),
            Map.entry("permission denied", Errno.UV_EACCES),
            Map.entry("operation not permitted", Errno.UV_EPERM),
            Map.entry("network is unreachable", Errno.UV_ENETUNREACH),
            Map.entry("network is down", Errno.UV_ENETDOWN),
            Map.entry("no route to host", Errno.UV_EHOSTUNREACH),
            Map.entry("host is down", Errno.UV_EHOSTDOWN),
            Map.entry("connection timed out", Errno.UV_ETIMEDOUT),
            Map.entry("operation timed out", Errno.UV_ETIMEDOUT),
            Map.entry("too many open files", Errno.UV_EMFILE),
            Map.entry("too many open files in system", Errno.UV_ENFILE),
            Map.entry("invalid argument", Errno.UV_EINVAL),
            Map.entry("protocol not available", Errno.UV_ENOPROTOOPT),
            Map.entry("address family not supported by protocol", Errno.UV_EAFNOSUPPORT),
            Map.entry("address family not supported by protocol family", Errno.UV_EAFNOSUPPORT),
            Map.entry("transport endpoint is not connected", Errno.UV_ENOTCONN),
            Map.entry("socket is not connected", Errno.UV_ENOTCONN),
            Map.entry("transport endpoint is already connected", Errno.UV_EISCONN),
            Map.entry("socket is already connected", Errno.UV_EISCONN),
            Map.entry("operation already in progress", Errno.UV_EALREADY),
            Map.entry("bad file descriptor", Errno.UV_EBADF),
            Map.entry("software caused connection abort", Errno.UV_ECONNABORTED),
            Map.entry("connection aborted", Errno.UV_ECONNABORTED),
            Map.entry("no buffer space available", Errno.UV_ENOBUFS),
            Map.entry("operation not supported", Errno.UV_ENOTSUP),
            Map.entry("message too long", Errno.UV_EMSGSIZE),
            Map.entry("socket operation on non-socket", Errno.UV_ENOTSOCK),
            Map.entry("cannot send after transport endpoint shutdown", Errno.UV_ESHUTDOWN),
            Map.entry("socket closed", Errno.UV_EBADF),
            Map.entry("socket output is shutdown", Errno.UV_EPIPE));

    /** macOS/BSD errno values that differ from Linux's, to their libuv (Linux) codes. */
    private static final Map<Integer, Integer> DARWIN = Map.ofEntries(
            Map.entry(35, Errno.UV_EAGAIN), Map.entry(36, -115 /* EINPROGRESS, not a pyuv code */),
            Map.entry(37, Errno.UV_EALREADY), Map.entry(38, Errno.UV_ENOTSOCK),
            Map.entry(39, Errno.UV_EDESTADDRREQ), Map.entry(40, Errno.UV_EMSGSIZE),
            Map.entry(41, Errno.UV_EPROTOTYPE), Map.entry(42, Errno.UV_ENOPROTOOPT),
            Map.entry(43, Errno.UV_EPROTONOSUPPORT), Map.entry(45, Errno.UV_ENOTSUP),
            Map.entry(47, Errno.UV_EAFNOSUPPORT), Map.entry(48, Errno.UV_EADDRINUSE),
            Map.entry(49, Errno.UV_EADDRNOTAVAIL), Map.entry(50, Errno.UV_ENETDOWN),
            Map.entry(51, Errno.UV_ENETUNREACH), Map.entry(53, Errno.UV_ECONNABORTED),
            Map.entry(54, Errno.UV_ECONNRESET), Map.entry(55, Errno.UV_ENOBUFS),
            Map.entry(56, Errno.UV_EISCONN), Map.entry(57, Errno.UV_ENOTCONN),
            Map.entry(58, Errno.UV_ESHUTDOWN), Map.entry(60, Errno.UV_ETIMEDOUT),
            Map.entry(61, Errno.UV_ECONNREFUSED), Map.entry(62, Errno.UV_ELOOP),
            Map.entry(63, Errno.UV_ENAMETOOLONG), Map.entry(64, Errno.UV_EHOSTDOWN),
            Map.entry(65, Errno.UV_EHOSTUNREACH), Map.entry(66, Errno.UV_ENOTEMPTY),
            Map.entry(78, Errno.UV_ENOSYS), Map.entry(89, Errno.UV_ECANCELED),
            Map.entry(11, -35 /* EDEADLK */));

    private ErrnoMapper() {
    }

    /**
     * Converts a native errno as the OS reported it (negative or positive) to libuv's value.
     *
     * @param nativeErrno errno from the OS, either sign
     * @return the libuv code (negative)
     */
    public static int fromNative(int nativeErrno) {
        int positive = Math.abs(nativeErrno);
        if (DARWIN_ERRNOS) {
            Integer mapped = DARWIN.get(positive);
            if (mapped != null) {
                return mapped;
            }
        }
        return -positive;
    }

    /**
     * The libuv error number that best describes {@code t}.
     *
     * @param t an exception from Netty, the JDK or pyuv4j
     * @return a negative libuv error number ({@link Errno#UV_UNKNOWN} when nothing matches)
     */
    public static int errno(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UVError && ((UVError) c).errno() != 0) {
                return ((UVError) c).errno();
            }
        }
        // The innermost native errno is the OS's own answer (e.g. ECONNRESET under Netty's
        // ChannelOutputShutdownException), so it beats any wrapper.
        int found = 0;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Errors.NativeIoException) {
                found = fromNative(((Errors.NativeIoException) c).expectedErr());
            } else if (c.getMessage() != null) {
                Matcher m = NATIVE_ERRNO.matcher(c.getMessage());
                if (m.find()) {
                    found = fromNative(Integer.parseInt(m.group(1)));
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        if (found != 0) {
            return found;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            int byMessage = byMessage(c.getMessage());
            if (byMessage != 0) {
                return byMessage;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            int byClass = byClass(c);
            if (byClass != 0) {
                return byClass;
            }
        }
        return Errno.UV_UNKNOWN;
    }

    private static int byMessage(String message) {
        if (message == null) {
            return 0;
        }
        String m = message.toLowerCase(Locale.ROOT);
        // Netty annotates messages ("Connection refused: /127.0.0.1:1", "...: Broken pipe").
        int colon = m.lastIndexOf(": ");
        Integer code = MESSAGES.get(m.trim());
        if (code == null && colon >= 0) {
            code = MESSAGES.get(m.substring(colon + 2).trim());
            if (code == null) {
                code = MESSAGES.get(m.substring(0, colon).trim());
            }
        }
        if (code == null) {
            for (Map.Entry<String, Integer> e : MESSAGES.entrySet()) {
                if (m.startsWith(e.getKey() + ":") || m.endsWith(": " + e.getKey())) {
                    return e.getValue();
                }
            }
            return 0;
        }
        return code;
    }

    private static int byClass(Throwable c) {
        if (c instanceof ConnectTimeoutException || c instanceof SocketTimeoutException) {
            return Errno.UV_ETIMEDOUT;
        } else if (c instanceof NoRouteToHostException) {
            // Netty's native transports throw a bare NoRouteToHostException for ENETUNREACH (annotated with
            // the address by a wrapper of the same class); the JDK's has a message and means EHOSTUNREACH
            // (its ENETUNREACH is a SocketException).
            if (c.getCause() instanceof NoRouteToHostException) {
                return 0; // the wrapper: the one inside decides
            }
            return c.getMessage() == null ? Errno.UV_ENETUNREACH : Errno.UV_EHOSTUNREACH;
        } else if (c instanceof PortUnreachableException || c instanceof ConnectException) {
            return Errno.UV_ECONNREFUSED;
        } else if (c instanceof BindException) {
            return Errno.UV_EADDRINUSE;
        } else if (c instanceof NotYetConnectedException) {
            return Errno.UV_ENOTCONN;
        } else if (c instanceof AlreadyConnectedException) {
            return Errno.UV_EISCONN;
        } else if (c instanceof ConnectionPendingException) {
            return Errno.UV_EALREADY;
        } else if (c instanceof UnsupportedAddressTypeException) {
            return Errno.UV_EAFNOSUPPORT;
        } else if (c instanceof AlreadyBoundException) {
            return Errno.UV_EINVAL; // bind(2) on a bound socket
        } else if (c instanceof ClosedChannelException) {
            return Errno.UV_EBADF;
        } else if (c instanceof OutOfMemoryError) {
            // Direct memory exhausted (Netty's OutOfDirectMemoryError, the JDK's "Cannot reserve ... direct
            // buffer memory"): no buffer, as libuv's alloc_cb failing; the heap: ENOMEM.
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            return c.getClass().getSimpleName().equals("OutOfDirectMemoryError") || m.contains("direct buffer memory")
                    ? Errno.UV_ENOBUFS : Errno.UV_ENOMEM;
        } else if (c instanceof io.netty.channel.socket.ChannelOutputShutdownException) {
            return Errno.UV_EPIPE;
        }
        return 0;
    }
}
