package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv-spec §6.1: {@code pyuv.errno} as {@link Errno}: the 76 codes of libuv 1.13, names and messages. */
@Timeout(60)
class ErrnoTest {

    /** pyuv-spec §6.1's table (name, Linux value, strerror text), as read from pyuv 1.4 / libuv 1.13. */
    private static final Object[][] TABLE = {
        {"UV_EPERM", -1, "operation not permitted"},
        {"UV_ENOENT", -2, "no such file or directory"},
        {"UV_ESRCH", -3, "no such process"},
        {"UV_EINTR", -4, "interrupted system call"},
        {"UV_EIO", -5, "i/o error"},
        {"UV_ENXIO", -6, "no such device or address"},
        {"UV_E2BIG", -7, "argument list too long"},
        {"UV_EBADF", -9, "bad file descriptor"},
        {"UV_EAGAIN", -11, "resource temporarily unavailable"},
        {"UV_ENOMEM", -12, "not enough memory"},
        {"UV_EACCES", -13, "permission denied"},
        {"UV_EFAULT", -14, "bad address in system call argument"},
        {"UV_EBUSY", -16, "resource busy or locked"},
        {"UV_EEXIST", -17, "file already exists"},
        {"UV_EXDEV", -18, "cross-device link not permitted"},
        {"UV_ENODEV", -19, "no such device"},
        {"UV_ENOTDIR", -20, "not a directory"},
        {"UV_EISDIR", -21, "illegal operation on a directory"},
        {"UV_EINVAL", -22, "invalid argument"},
        {"UV_ENFILE", -23, "file table overflow"},
        {"UV_EMFILE", -24, "too many open files"},
        {"UV_ETXTBSY", -26, "text file is busy"},
        {"UV_EFBIG", -27, "file too large"},
        {"UV_ENOSPC", -28, "no space left on device"},
        {"UV_ESPIPE", -29, "invalid seek"},
        {"UV_EROFS", -30, "read-only file system"},
        {"UV_EMLINK", -31, "too many links"},
        {"UV_EPIPE", -32, "broken pipe"},
        {"UV_ERANGE", -34, "result too large"},
        {"UV_ENAMETOOLONG", -36, "name too long"},
        {"UV_ENOSYS", -38, "function not implemented"},
        {"UV_ENOTEMPTY", -39, "directory not empty"},
        {"UV_ELOOP", -40, "too many symbolic links encountered"},
        {"UV_ENONET", -64, "machine is not on the network"},
        {"UV_EPROTO", -71, "protocol error"},
        {"UV_ENOTSOCK", -88, "socket operation on non-socket"},
        {"UV_EDESTADDRREQ", -89, "destination address required"},
        {"UV_EMSGSIZE", -90, "message too long"},
        {"UV_EPROTOTYPE", -91, "protocol wrong type for socket"},
        {"UV_ENOPROTOOPT", -92, "protocol not available"},
        {"UV_EPROTONOSUPPORT", -93, "protocol not supported"},
        {"UV_ENOTSUP", -95, "operation not supported on socket"},
        {"UV_EAFNOSUPPORT", -97, "address family not supported"},
        {"UV_EADDRINUSE", -98, "address already in use"},
        {"UV_EADDRNOTAVAIL", -99, "address not available"},
        {"UV_ENETDOWN", -100, "network is down"},
        {"UV_ENETUNREACH", -101, "network is unreachable"},
        {"UV_ECONNABORTED", -103, "software caused connection abort"},
        {"UV_ECONNRESET", -104, "connection reset by peer"},
        {"UV_ENOBUFS", -105, "no buffer space available"},
        {"UV_EISCONN", -106, "socket is already connected"},
        {"UV_ENOTCONN", -107, "socket is not connected"},
        {"UV_ESHUTDOWN", -108, "cannot send after transport endpoint shutdown"},
        {"UV_ETIMEDOUT", -110, "connection timed out"},
        {"UV_ECONNREFUSED", -111, "connection refused"},
        {"UV_EHOSTDOWN", -112, "host is down"},
        {"UV_EHOSTUNREACH", -113, "host is unreachable"},
        {"UV_EALREADY", -114, "connection already in progress"},
        {"UV_ECANCELED", -125, "operation canceled"},
        {"UV_EAI_ADDRFAMILY", -3000, "address family not supported"},
        {"UV_EAI_AGAIN", -3001, "temporary failure"},
        {"UV_EAI_BADFLAGS", -3002, "bad ai_flags value"},
        {"UV_EAI_CANCELED", -3003, "request canceled"},
        {"UV_EAI_FAIL", -3004, "permanent failure"},
        {"UV_EAI_FAMILY", -3005, "ai_family not supported"},
        {"UV_EAI_MEMORY", -3006, "out of memory"},
        {"UV_EAI_NODATA", -3007, "no address"},
        {"UV_EAI_NONAME", -3008, "unknown node or service"},
        {"UV_EAI_OVERFLOW", -3009, "argument buffer overflow"},
        {"UV_EAI_SERVICE", -3010, "service not available for socket type"},
        {"UV_EAI_SOCKTYPE", -3011, "socket type not supported"},
        {"UV_EAI_BADHINTS", -3013, "invalid value for hints"},
        {"UV_EAI_PROTOCOL", -3014, "resolved protocol is unknown"},
        {"UV_ECHARSET", -4080, "invalid Unicode character"},
        {"UV_UNKNOWN", -4094, "unknown error"},
        {"UV_EOF", -4095, "end of file"},
    };

    @Test
    void every_name_value_and_message_of_the_table() throws ReflectiveOperationException {
        assertEquals(76, TABLE.length);
        for (Object[] row : TABLE) {
            String name = (String) row[0];
            int value = (Integer) row[1];
            assertEquals(value, Errno.class.getField(name).getInt(null), name);
            assertEquals(name, Errno.errorcode(value), name);
            assertEquals(row[2], Errno.strerror(value), name);
        }
        assertEquals(-4095, Errno.UV_EOF);
        assertEquals(-125, Errno.UV_ECANCELED);
        assertEquals(-95, Errno.UV_ENOTSUP);
    }

    @Test
    void exactly_76_codes() {
        assertEquals(76, Errno.errorcode().size());
    }

    /** Every public constant is in errorcode under its own name, and nothing else is. */
    @Test
    void constants_and_errorcode_agree() throws IllegalAccessException {
        Map<Integer, String> fromFields = new HashMap<>();
        for (Field f : Errno.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && f.getType() == int.class) {
                assertTrue(Modifier.isFinal(m), f.getName());
                assertTrue(f.getName().startsWith("UV_"), f.getName());
                String previous = fromFields.put(f.getInt(null), f.getName());
                assertNull(previous, "duplicate value " + f.getInt(null));
            }
        }
        assertEquals(76, fromFields.size());
        assertEquals(fromFields, Errno.errorcode());
    }

    @Test
    void codes_are_negative_and_every_code_has_its_own_message() {
        Set<String> unknown = new HashSet<>();
        for (Map.Entry<Integer, String> e : Errno.errorcode().entrySet()) {
            assertTrue(e.getKey() < 0, e.getValue());
            String message = Errno.strerror(e.getKey());
            assertFalse(message.startsWith("Unknown system error"), e.getValue());
            assertFalse(message.isEmpty());
            if (message.equals("unknown error")) {
                unknown.add(e.getValue());
            }
        }
        assertEquals(Set.of("UV_UNKNOWN"), unknown);
    }

    /** pyuv-spec §6.1 notes: -3012 is unused, and libuv 1.52's newer codes are not in pyuv 1.4. */
    @Test
    void codes_pyuv_does_not_have() {
        for (int code : new int[] {-3012, -8, -25, -49, -61, -75, -84, -94, -121, -4028}) {
            assertNull(Errno.errorcode(code), String.valueOf(code));
            assertEquals("Unknown system error " + code, Errno.strerror(code));
        }
    }

    @Test
    void strerror_of_unknown_codes() {
        assertEquals("Unknown system error 0", Errno.strerror(0));
        assertEquals("Unknown system error 5", Errno.strerror(5));
        assertEquals("Unknown system error -99999", Errno.strerror(-99999));
        assertNull(Errno.errorcode(0));
        assertNull(Errno.errorcode(5));
    }

    @Test
    void errorcode_map_is_read_only() {
        Map<Integer, String> map = Errno.errorcode();
        assertThrows(UnsupportedOperationException.class, () -> map.put(1, "UV_X"));
        assertThrows(UnsupportedOperationException.class, () -> map.remove(Errno.UV_EOF));
        assertEquals("UV_EOF", map.get(-4095));
    }

    @Test
    void not_instantiable() {
        for (var c : Errno.class.getDeclaredConstructors()) {
            assertTrue(Modifier.isPrivate(c.getModifiers()));
        }
        assertTrue(Modifier.isFinal(Errno.class.getModifiers()));
    }
}
