package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §4.4 / §4.5: listen (without bind, backlog, twice) and accept (nothing pending, twice in
 * one callback, into a busy handle, flow control when a callback does not accept) (libuv's
 * test-delayed-accept.c, test-multiple-listen.c and tcp_listen_without_bind).
 */
@Timeout(30)
class TcpListenAcceptTest extends TcpTestCase {
    // ============================================================ §4.4 / §4.5 listen and accept

    @Test
    void acceptWithNothingPendingIsEagain() {
        TCP srv = server(HOST, (s, e) -> ev("listen cb"));
        TCP target = new TCP(loop);
        TCPError e = assertTcpError(Errno.UV_EAGAIN, () -> srv.accept(target));
        assertEquals("resource temporarily unavailable", e.getMessage());
        TCP notListening = new TCP(loop);
        assertTcpError(Errno.UV_EAGAIN, () -> notListening.accept(target));
        assertFalse(target.isReadable(), "a failed accept leaves the client untouched");
        assertTcpError(Errno.UV_EINVAL, target::getFamily);
        srv.close();
        target.close();
        notListening.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    @Test
    void secondAcceptInTheSameCallbackIsEagain() {
        watchdog();
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP first = new TCP(loop);
            s.accept(first);
            TCP second = new TCP(loop);
            assertTcpError(Errno.UV_EAGAIN, () -> s.accept(second));
            ev("second accept raised");
            first.close();
            second.close();
            s.close();
            c.close();
        });
        c.connect(srv.getsockname(), (h, e) -> ev("connect " + err(e)));
        loop.run();
        assertTrue(events.contains("second accept raised"), events::toString);
    }

    /** pyuv-spec §4.5 (verified): EBUSY, and the pending connection is closed and lost. */
    @Test
    void acceptIntoAHandleWithASocketIsEbusyAndLosesTheConnection() {
        watchdog();
        Integer[] clientEnd = new Integer[1];
        TCP c = new TCP(loop);
        TCP srv = server(HOST, (s, e) -> {
            assertNull(e);
            TCP busy = new TCP(loop, StandardProtocolFamily.INET);
            TCPError x = assertTcpError(Errno.UV_EBUSY, () -> s.accept(busy));
            assertEquals("resource busy or locked", x.getMessage());
            assertTcpError(Errno.UV_EAGAIN, () -> s.accept(new TCP(loop)));
            ev("listen cb");
            busy.close();
        });
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            h.startRead((hh, data, x) -> {
                assertNull(data, "the server never accepted: nothing can arrive");
                clientEnd[0] = x;
                hh.close();
                srv.close();
            });
        });
        loop.run();
        assertEquals(List.of("listen cb"), events);
        assertNotNull(clientEnd[0], "the lost connection must be closed: the client sees its end");
        assertTrue(clientEnd[0] == Errno.UV_EOF || clientEnd[0] == Errno.UV_ECONNRESET, err(clientEnd[0]));
    }

    /** pyuv-spec §4.4 (verified): without accept() no further listen callbacks; a late accept resumes them. */
    @Test
    void acceptFlowControl() {
        watchdog();
        int n = 5;
        List<TCP> clients = new ArrayList<>();
        List<TCP> accepted = new ArrayList<>();
        int[] listenCalls = {0};
        int[] connected = {0};
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        Runnable finish = () -> {
            accepted.forEach(TCP::close);
            clients.forEach(TCP::close);
            srv.close();
        };
        srv.listen((s, e) -> {
            assertNull(e);
            listenCalls[0]++;
            ev("listen " + listenCalls[0]);
            if (listenCalls[0] == 1) {
                return; // no accept: libuv stops polling the listen socket
            }
            TCP conn = new TCP(loop);
            s.accept(conn);
            accepted.add(conn);
            if (accepted.size() == n) {
                finish.run();
            }
        });
        Address address = srv.getsockname();
        for (int i = 0; i < n; i++) {
            TCP c = new TCP(loop);
            clients.add(c);
            c.connect(address, (h, e) -> {
                assertNull(e);
                if (++connected[0] == n) {
                    after(0.2, () -> {
                        ev("timer: " + listenCalls[0] + " listen callback(s)");
                        TCP conn = new TCP(loop);
                        srv.accept(conn);
                        accepted.add(conn);
                        ev("late accept returned");
                    });
                }
            });
        }
        loop.run();
        assertEquals(List.of("listen 1", "timer: 1 listen callback(s)", "late accept returned",
                "listen 2", "listen 3", "listen 4", "listen 5"), events);
    }

    /** pyuv-spec §4.4 (verified): listen without bind makes an AF_INET socket on 0.0.0.0:ephemeral. */
    @Test
    void listenWithoutBind() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.listen((s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        });
        Address a = srv.getsockname();
        assertEquals("0.0.0.0", a.host());
        assertTrue(a.port() > 0, a::toString);
        assertEquals(StandardProtocolFamily.INET, srv.getFamily());
        assertTrue(srv.isActive());
        TCP c = new TCP(loop);
        c.connect(HOST, a.port(), (h, e) -> {
            ev("connect " + err(e));
            h.close();
        });
        loop.run();
        assertTrue(events.containsAll(List.of("accepted", "connect null")), events::toString);
    }

    /** pyuv-spec §4.4 (verified): negative backlog is a ValueError (checked before the callback); 0 is fine. */
    @Test
    void listenBacklog() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> srv.listen((s, x) -> ev("listen cb"), -1));
        assertEquals("backlog must be bigger than 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> srv.listen(null, -1));
        assertEquals("backlog must be bigger than 0", e.getMessage());
        assertFalse(srv.isActive());
        srv.listen((s, x) -> {
            assertNull(x);
            TCP conn = new TCP(loop);
            s.accept(conn);
            ev("accepted");
            conn.close();
            s.close();
        }, 0);
        assertTrue(srv.isActive());
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, x) -> {
            ev("connect " + err(x));
            h.close();
        });
        loop.run();
        assertTrue(events.containsAll(List.of("accepted", "connect null")), events::toString);
    }

    @Test
    void listenTwiceReplacesTheCallback() {
        watchdog();
        TCP srv = new TCP(loop);
        srv.bind(HOST, 0);
        srv.listen((s, e) -> ev("first callback"));
        srv.listen((s, e) -> {
            ev("second callback");
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
            s.close();
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> h.close());
        loop.run();
        assertEquals(List.of("second callback"), events);
    }
}
