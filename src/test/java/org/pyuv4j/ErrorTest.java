package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.error.AsyncError;
import org.pyuv4j.error.CheckError;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.IdleError;
import org.pyuv4j.error.PrepareError;
import org.pyuv4j.error.StreamError;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.error.TimerError;
import org.pyuv4j.error.UVError;

/** pyuv-spec §6.2 and API.md: the error hierarchy, errno and messages. */
@Timeout(60)
class ErrorTest {

    @Test
    void hierarchy() {
        Map<Class<?>, Class<?>> parent = Map.of(
                UVError.class, RuntimeException.class,
                HandleError.class, UVError.class,
                HandleClosedError.class, HandleError.class,
                StreamError.class, HandleError.class,
                TCPError.class, StreamError.class,
                TimerError.class, HandleError.class,
                AsyncError.class, HandleError.class,
                IdleError.class, HandleError.class,
                PrepareError.class, HandleError.class,
                CheckError.class, HandleError.class);
        for (Map.Entry<Class<?>, Class<?>> e : parent.entrySet()) {
            assertSame(e.getValue(), e.getKey().getSuperclass(), e.getKey().getName());
        }
    }

    @Test
    void instanceof_chain() {
        TCPError tcp = new TCPError(Errno.UV_EAGAIN);
        assertTrue(tcp instanceof StreamError);
        assertTrue(tcp instanceof HandleError);
        assertTrue(tcp instanceof UVError);
        assertTrue(tcp instanceof RuntimeException);
        for (HandleError e : List.of(new TimerError(-22), new AsyncError(-22), new IdleError(-22),
                new PrepareError(-22), new CheckError(-22), new HandleClosedError())) {
            assertTrue(e instanceof UVError, e.getClass().getName());
            assertFalse(e instanceof StreamError, e.getClass().getName());
        }
    }

    @Test
    void message_is_strerror_and_errno_is_kept() {
        TCPError e = new TCPError(Errno.UV_EAGAIN);
        assertEquals(-11, e.errno());
        assertEquals("resource temporarily unavailable", e.getMessage());
        assertEquals(Errno.strerror(Errno.UV_EAGAIN), e.getMessage());
        assertNull(e.detail());
        for (int code : Errno.errorcode().keySet()) {
            UVError u = new UVError(code);
            assertEquals(code, u.errno());
            assertEquals(Errno.strerror(code), u.getMessage());
        }
    }

    @Test
    void detail_does_not_change_the_message() {
        RuntimeException cause = new RuntimeException("cause");
        UVError e = new UVError(Errno.UV_ENOTSUP, "because", cause);
        assertEquals("operation not supported on socket", e.getMessage());
        assertEquals("because", e.detail());
        assertSame(cause, e.getCause());
        assertEquals("org.pyuv4j.error.UVError: (-95, 'operation not supported on socket'): because", e.toString());
        TimerError t = new TimerError(Errno.UV_EINVAL, "why");
        assertEquals("invalid argument", t.getMessage());
        assertEquals("why", t.detail());
    }

    @Test
    void to_string_looks_like_pyuv_args() {
        assertEquals("org.pyuv4j.error.TCPError: (-11, 'resource temporarily unavailable')",
                new TCPError(Errno.UV_EAGAIN).toString());
    }

    @Test
    void handle_closed_error_has_a_message_and_no_errno() {
        HandleClosedError e = new HandleClosedError();
        assertEquals("Handle is closing/closed", e.getMessage());
        assertEquals(HandleClosedError.MESSAGE, e.getMessage());
        assertEquals(0, e.errno());
        assertNull(e.detail());
        assertEquals("org.pyuv4j.error.HandleClosedError: Handle is closing/closed", e.toString());
    }

    @Test
    void unknown_errno_message() {
        UVError e = new UVError(-99999);
        assertEquals("Unknown system error -99999", e.getMessage());
        assertEquals(-99999, e.errno());
    }
}
