package org.pyuv4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libuv error numbers as pyuv 1.4 exposes them ({@code pyuv.errno}): the 76 codes of the libuv
 * 1.13 that pyuv bundles, with their Linux values on every platform (errors from the OS are
 * translated to these values), plus {@link #errorcode(int)} and {@link #strerror(int)}.
 *
 * <p>Every error a callback receives and every {@code errno()} of a {@link org.pyuv4j.error.UVError}
 * is one of these negative numbers.
 */
public final class Errno {
    /** operation not permitted. */
    public static final int UV_EPERM = -1;
    /** no such file or directory. */
    public static final int UV_ENOENT = -2;
    /** no such process. */
    public static final int UV_ESRCH = -3;
    /** interrupted system call. */
    public static final int UV_EINTR = -4;
    /** i/o error. */
    public static final int UV_EIO = -5;
    /** no such device or address. */
    public static final int UV_ENXIO = -6;
    /** argument list too long. */
    public static final int UV_E2BIG = -7;
    /** bad file descriptor. */
    public static final int UV_EBADF = -9;
    /** resource temporarily unavailable. */
    public static final int UV_EAGAIN = -11;
    /** not enough memory. */
    public static final int UV_ENOMEM = -12;
    /** permission denied. */
    public static final int UV_EACCES = -13;
    /** bad address in system call argument. */
    public static final int UV_EFAULT = -14;
    /** resource busy or locked. */
    public static final int UV_EBUSY = -16;
    /** file already exists. */
    public static final int UV_EEXIST = -17;
    /** cross-device link not permitted. */
    public static final int UV_EXDEV = -18;
    /** no such device. */
    public static final int UV_ENODEV = -19;
    /** not a directory. */
    public static final int UV_ENOTDIR = -20;
    /** illegal operation on a directory. */
    public static final int UV_EISDIR = -21;
    /** invalid argument. */
    public static final int UV_EINVAL = -22;
    /** file table overflow. */
    public static final int UV_ENFILE = -23;
    /** too many open files. */
    public static final int UV_EMFILE = -24;
    /** text file is busy. */
    public static final int UV_ETXTBSY = -26;
    /** file too large. */
    public static final int UV_EFBIG = -27;
    /** no space left on device. */
    public static final int UV_ENOSPC = -28;
    /** invalid seek. */
    public static final int UV_ESPIPE = -29;
    /** read-only file system. */
    public static final int UV_EROFS = -30;
    /** too many links. */
    public static final int UV_EMLINK = -31;
    /** broken pipe. */
    public static final int UV_EPIPE = -32;
    /** result too large. */
    public static final int UV_ERANGE = -34;
    /** name too long. */
    public static final int UV_ENAMETOOLONG = -36;
    /** function not implemented. */
    public static final int UV_ENOSYS = -38;
    /** directory not empty. */
    public static final int UV_ENOTEMPTY = -39;
    /** too many symbolic links encountered. */
    public static final int UV_ELOOP = -40;
    /** machine is not on the network. */
    public static final int UV_ENONET = -64;
    /** protocol error. */
    public static final int UV_EPROTO = -71;
    /** socket operation on non-socket. */
    public static final int UV_ENOTSOCK = -88;
    /** destination address required. */
    public static final int UV_EDESTADDRREQ = -89;
    /** message too long. */
    public static final int UV_EMSGSIZE = -90;
    /** protocol wrong type for socket. */
    public static final int UV_EPROTOTYPE = -91;
    /** protocol not available. */
    public static final int UV_ENOPROTOOPT = -92;
    /** protocol not supported. */
    public static final int UV_EPROTONOSUPPORT = -93;
    /** operation not supported on socket. */
    public static final int UV_ENOTSUP = -95;
    /** address family not supported. */
    public static final int UV_EAFNOSUPPORT = -97;
    /** address already in use. */
    public static final int UV_EADDRINUSE = -98;
    /** address not available. */
    public static final int UV_EADDRNOTAVAIL = -99;
    /** network is down. */
    public static final int UV_ENETDOWN = -100;
    /** network is unreachable. */
    public static final int UV_ENETUNREACH = -101;
    /** software caused connection abort. */
    public static final int UV_ECONNABORTED = -103;
    /** connection reset by peer. */
    public static final int UV_ECONNRESET = -104;
    /** no buffer space available. */
    public static final int UV_ENOBUFS = -105;
    /** socket is already connected. */
    public static final int UV_EISCONN = -106;
    /** socket is not connected. */
    public static final int UV_ENOTCONN = -107;
    /** cannot send after transport endpoint shutdown. */
    public static final int UV_ESHUTDOWN = -108;
    /** connection timed out. */
    public static final int UV_ETIMEDOUT = -110;
    /** connection refused. */
    public static final int UV_ECONNREFUSED = -111;
    /** host is down. */
    public static final int UV_EHOSTDOWN = -112;
    /** host is unreachable. */
    public static final int UV_EHOSTUNREACH = -113;
    /** connection already in progress. */
    public static final int UV_EALREADY = -114;
    /** operation canceled. */
    public static final int UV_ECANCELED = -125;
    /** address family not supported. */
    public static final int UV_EAI_ADDRFAMILY = -3000;
    /** temporary failure. */
    public static final int UV_EAI_AGAIN = -3001;
    /** bad ai_flags value. */
    public static final int UV_EAI_BADFLAGS = -3002;
    /** request canceled. */
    public static final int UV_EAI_CANCELED = -3003;
    /** permanent failure. */
    public static final int UV_EAI_FAIL = -3004;
    /** ai_family not supported. */
    public static final int UV_EAI_FAMILY = -3005;
    /** out of memory. */
    public static final int UV_EAI_MEMORY = -3006;
    /** no address. */
    public static final int UV_EAI_NODATA = -3007;
    /** unknown node or service. */
    public static final int UV_EAI_NONAME = -3008;
    /** argument buffer overflow. */
    public static final int UV_EAI_OVERFLOW = -3009;
    /** service not available for socket type. */
    public static final int UV_EAI_SERVICE = -3010;
    /** socket type not supported. */
    public static final int UV_EAI_SOCKTYPE = -3011;
    /** invalid value for hints. */
    public static final int UV_EAI_BADHINTS = -3013;
    /** resolved protocol is unknown. */
    public static final int UV_EAI_PROTOCOL = -3014;
    /** invalid Unicode character. */
    public static final int UV_ECHARSET = -4080;
    /** unknown error. */
    public static final int UV_UNKNOWN = -4094;
    /** end of file. */
    public static final int UV_EOF = -4095;

    private static final Map<Integer, String> NAMES;
    private static final Map<Integer, String> MESSAGES;

    static {
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, String> messages = new LinkedHashMap<>();
        add(names, messages, UV_EPERM, "UV_EPERM", "operation not permitted");
        add(names, messages, UV_ENOENT, "UV_ENOENT", "no such file or directory");
        add(names, messages, UV_ESRCH, "UV_ESRCH", "no such process");
        add(names, messages, UV_EINTR, "UV_EINTR", "interrupted system call");
        add(names, messages, UV_EIO, "UV_EIO", "i/o error");
        add(names, messages, UV_ENXIO, "UV_ENXIO", "no such device or address");
        add(names, messages, UV_E2BIG, "UV_E2BIG", "argument list too long");
        add(names, messages, UV_EBADF, "UV_EBADF", "bad file descriptor");
        add(names, messages, UV_EAGAIN, "UV_EAGAIN", "resource temporarily unavailable");
        add(names, messages, UV_ENOMEM, "UV_ENOMEM", "not enough memory");
        add(names, messages, UV_EACCES, "UV_EACCES", "permission denied");
        add(names, messages, UV_EFAULT, "UV_EFAULT", "bad address in system call argument");
        add(names, messages, UV_EBUSY, "UV_EBUSY", "resource busy or locked");
        add(names, messages, UV_EEXIST, "UV_EEXIST", "file already exists");
        add(names, messages, UV_EXDEV, "UV_EXDEV", "cross-device link not permitted");
        add(names, messages, UV_ENODEV, "UV_ENODEV", "no such device");
        add(names, messages, UV_ENOTDIR, "UV_ENOTDIR", "not a directory");
        add(names, messages, UV_EISDIR, "UV_EISDIR", "illegal operation on a directory");
        add(names, messages, UV_EINVAL, "UV_EINVAL", "invalid argument");
        add(names, messages, UV_ENFILE, "UV_ENFILE", "file table overflow");
        add(names, messages, UV_EMFILE, "UV_EMFILE", "too many open files");
        add(names, messages, UV_ETXTBSY, "UV_ETXTBSY", "text file is busy");
        add(names, messages, UV_EFBIG, "UV_EFBIG", "file too large");
        add(names, messages, UV_ENOSPC, "UV_ENOSPC", "no space left on device");
        add(names, messages, UV_ESPIPE, "UV_ESPIPE", "invalid seek");
        add(names, messages, UV_EROFS, "UV_EROFS", "read-only file system");
        add(names, messages, UV_EMLINK, "UV_EMLINK", "too many links");
        add(names, messages, UV_EPIPE, "UV_EPIPE", "broken pipe");
        add(names, messages, UV_ERANGE, "UV_ERANGE", "result too large");
        add(names, messages, UV_ENAMETOOLONG, "UV_ENAMETOOLONG", "name too long");
        add(names, messages, UV_ENOSYS, "UV_ENOSYS", "function not implemented");
        add(names, messages, UV_ENOTEMPTY, "UV_ENOTEMPTY", "directory not empty");
        add(names, messages, UV_ELOOP, "UV_ELOOP", "too many symbolic links encountered");
        add(names, messages, UV_ENONET, "UV_ENONET", "machine is not on the network");
        add(names, messages, UV_EPROTO, "UV_EPROTO", "protocol error");
        add(names, messages, UV_ENOTSOCK, "UV_ENOTSOCK", "socket operation on non-socket");
        add(names, messages, UV_EDESTADDRREQ, "UV_EDESTADDRREQ", "destination address required");
        add(names, messages, UV_EMSGSIZE, "UV_EMSGSIZE", "message too long");
        add(names, messages, UV_EPROTOTYPE, "UV_EPROTOTYPE", "protocol wrong type for socket");
        add(names, messages, UV_ENOPROTOOPT, "UV_ENOPROTOOPT", "protocol not available");
        add(names, messages, UV_EPROTONOSUPPORT, "UV_EPROTONOSUPPORT", "protocol not supported");
        add(names, messages, UV_ENOTSUP, "UV_ENOTSUP", "operation not supported on socket");
        add(names, messages, UV_EAFNOSUPPORT, "UV_EAFNOSUPPORT", "address family not supported");
        add(names, messages, UV_EADDRINUSE, "UV_EADDRINUSE", "address already in use");
        add(names, messages, UV_EADDRNOTAVAIL, "UV_EADDRNOTAVAIL", "address not available");
        add(names, messages, UV_ENETDOWN, "UV_ENETDOWN", "network is down");
        add(names, messages, UV_ENETUNREACH, "UV_ENETUNREACH", "network is unreachable");
        add(names, messages, UV_ECONNABORTED, "UV_ECONNABORTED", "software caused connection abort");
        add(names, messages, UV_ECONNRESET, "UV_ECONNRESET", "connection reset by peer");
        add(names, messages, UV_ENOBUFS, "UV_ENOBUFS", "no buffer space available");
        add(names, messages, UV_EISCONN, "UV_EISCONN", "socket is already connected");
        add(names, messages, UV_ENOTCONN, "UV_ENOTCONN", "socket is not connected");
        add(names, messages, UV_ESHUTDOWN, "UV_ESHUTDOWN", "cannot send after transport endpoint shutdown");
        add(names, messages, UV_ETIMEDOUT, "UV_ETIMEDOUT", "connection timed out");
        add(names, messages, UV_ECONNREFUSED, "UV_ECONNREFUSED", "connection refused");
        add(names, messages, UV_EHOSTDOWN, "UV_EHOSTDOWN", "host is down");
        add(names, messages, UV_EHOSTUNREACH, "UV_EHOSTUNREACH", "host is unreachable");
        add(names, messages, UV_EALREADY, "UV_EALREADY", "connection already in progress");
        add(names, messages, UV_ECANCELED, "UV_ECANCELED", "operation canceled");
        add(names, messages, UV_EAI_ADDRFAMILY, "UV_EAI_ADDRFAMILY", "address family not supported");
        add(names, messages, UV_EAI_AGAIN, "UV_EAI_AGAIN", "temporary failure");
        add(names, messages, UV_EAI_BADFLAGS, "UV_EAI_BADFLAGS", "bad ai_flags value");
        add(names, messages, UV_EAI_CANCELED, "UV_EAI_CANCELED", "request canceled");
        add(names, messages, UV_EAI_FAIL, "UV_EAI_FAIL", "permanent failure");
        add(names, messages, UV_EAI_FAMILY, "UV_EAI_FAMILY", "ai_family not supported");
        add(names, messages, UV_EAI_MEMORY, "UV_EAI_MEMORY", "out of memory");
        add(names, messages, UV_EAI_NODATA, "UV_EAI_NODATA", "no address");
        add(names, messages, UV_EAI_NONAME, "UV_EAI_NONAME", "unknown node or service");
        add(names, messages, UV_EAI_OVERFLOW, "UV_EAI_OVERFLOW", "argument buffer overflow");
        add(names, messages, UV_EAI_SERVICE, "UV_EAI_SERVICE", "service not available for socket type");
        add(names, messages, UV_EAI_SOCKTYPE, "UV_EAI_SOCKTYPE", "socket type not supported");
        add(names, messages, UV_EAI_BADHINTS, "UV_EAI_BADHINTS", "invalid value for hints");
        add(names, messages, UV_EAI_PROTOCOL, "UV_EAI_PROTOCOL", "resolved protocol is unknown");
        add(names, messages, UV_ECHARSET, "UV_ECHARSET", "invalid Unicode character");
        add(names, messages, UV_UNKNOWN, "UV_UNKNOWN", "unknown error");
        add(names, messages, UV_EOF, "UV_EOF", "end of file");
        NAMES = Collections.unmodifiableMap(names);
        MESSAGES = Collections.unmodifiableMap(messages);
    }

    private Errno() {
    }

    private static void add(Map<Integer, String> names, Map<Integer, String> messages,
                            int code, String name, String message) {
        names.put(code, name);
        messages.put(code, message);
    }

    /**
     * pyuv's {@code errno.errorcode}: every code mapped to its name, in libuv's order.
     *
     * @return an unmodifiable map from code (e.g. -4095) to name (e.g. "UV_EOF")
     */
    public static Map<Integer, String> errorcode() {
        return NAMES;
    }

    /**
     * pyuv's {@code errno.errorcode[code]}.
     *
     * @param code a libuv error number
     * @return its name, e.g. "UV_EOF", or {@code null} for an unknown code
     */
    public static String errorcode(int code) {
        return NAMES.get(code);
    }

    /**
     * pyuv's {@code errno.strerror(code)}: libuv's message for the code.
     *
     * @param code a libuv error number
     * @return e.g. "end of file"; "Unknown system error &lt;code&gt;" for a code libuv does not know
     */
    public static String strerror(int code) {
        String message = MESSAGES.get(code);
        return message != null ? message : "Unknown system error " + code;
    }
}
