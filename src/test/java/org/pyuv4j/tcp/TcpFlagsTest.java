package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.6: the readable and writable flags: false on a fresh handle, set by bind, listen,
 * connect (at once) and accept, and never cleared by EOF, shutdown, a failed connect or close. Also
 * pyuv's {@code TCPErrorTest.test_client2}.
 */
@Timeout(30)
class TcpFlagsTest extends TcpTestCase {
    // ---- pyuv's TCPErrorTest.test_client2

    @Test
    void test_client2() {
        TCP c = new TCP(loop);
        assertFalse(c.isReadable());
        assertFalse(c.isWritable());
        c.close();
        loop.run();
    }

    // ============================================================ §3.6 readable / writable

    @Test
    void flagsOfFreshHandles() {
        for (StandardProtocolFamily f : new StandardProtocolFamily[] {null, StandardProtocolFamily.INET,
            StandardProtocolFamily.INET6}) {
            TCP t = new TCP(loop, f);
            assertFalse(t.isReadable(), "readable, family " + f);
            assertFalse(t.isWritable(), "writable, family " + f);
            t.close();
        }
        loop.run();
    }

    @Test
    void bindSetsReadableAndWritable() {
        TCP unspec = new TCP(loop);
        unspec.bind(HOST, 0);
        assertTrue(unspec.isReadable());
        assertTrue(unspec.isWritable());
        TCP inet6 = new TCP(loop, StandardProtocolFamily.INET6);
        inet6.bind("::1", 0);
        assertTrue(inet6.isReadable());
        assertTrue(inet6.isWritable());
        unspec.close();
        inet6.close();
        loop.run();
    }

    @Test
    void listenFlags() {
        StatusCallback<TCP> cb = (s, e) -> ev("listen cb");
        TCP unbound = new TCP(loop);
        unbound.listen(cb);
        assertTrue(unbound.isReadable(), "listen on an unbound handle: readable");
        assertFalse(unbound.isWritable(), "listen on an unbound handle: not writable");
        TCP early = new TCP(loop, StandardProtocolFamily.INET);
        early.listen(cb);
        assertTrue(early.isReadable());
        assertFalse(early.isWritable());
        TCP bound = new TCP(loop);
        bound.bind(HOST, 0);
        bound.listen(cb);
        assertTrue(bound.isReadable(), "listen on a bound handle: readable");
        assertTrue(bound.isWritable(), "listen on a bound handle: writable (bind set it)");
        unbound.close();
        early.close();
        bound.close();
        loop.run();
        assertEquals(List.of(), events);
    }

    /** pyuv-spec §3.6 / §4.6 (verified): connect sets both flags at once; a failure keeps them. */
    @Test
    void connectFlagsWhileConnectingAndAfterFailure() {
        watchdog();
        int port = TcpSupport.unusedPort(loop);
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> {
            ev("connect " + err(e));
            assertTrue(h.isReadable());
            assertTrue(h.isWritable());
        });
        assertTrue(c.isReadable(), "readable right after connect()");
        assertTrue(c.isWritable(), "writable right after connect()");
        loop.run();
        assertEquals(List.of("connect UV_ECONNREFUSED"), events);
        assertTrue(c.isReadable());
        assertTrue(c.isWritable());
        c.close();
        loop.run();
        assertTrue(c.isReadable(), "close keeps the flags");
        assertTrue(c.isWritable(), "close keeps the flags");
    }

    /** pyuv-spec §3.6 (verified): EOF, shutdown, peer close and close leave readable/writable True. */
    @Test
    void flagsSurviveEofShutdownAndClose() {
        watchdog();
        TCP[] ends = new TCP[2];
        pair((c, conn) -> {
            ends[0] = c;
            ends[1] = conn;
            assertTrue(conn.isReadable(), "accepted: readable");
            assertTrue(conn.isWritable(), "accepted: writable");
            conn.startRead((h, data, e) -> {
                assertNull(data);
                assertTrue(h.isReadable(), "after EOF");
                assertTrue(h.isWritable(), "after EOF");
                h.close(x -> {
                    assertTrue(x.isReadable(), "in the close callback");
                    assertTrue(x.isWritable(), "in the close callback");
                    ev("conn closed");
                });
                assertTrue(h.isReadable(), "right after close()");
                assertTrue(h.isWritable(), "right after close()");
            });
            c.shutdown((h, e) -> {
                assertNull(e);
                assertTrue(h.isReadable(), "after shutdown");
                assertTrue(h.isWritable(), "shutdown does not clear writable (libuv 1.13)");
                h.startRead((hh, data, ee) -> {
                    assertNull(data);
                    assertEquals(Errno.UV_EOF, ee);
                    assertTrue(hh.isReadable(), "after the peer closed");
                    assertTrue(hh.isWritable(), "after the peer closed");
                    hh.close();
                    ev("client closed");
                });
            });
        });
        loop.run();
        assertEquals(List.of("conn closed", "client closed"), events);
        for (TCP t : ends) {
            assertTrue(t.isReadable(), "after the close callback");
            assertTrue(t.isWritable(), "after the close callback");
        }
    }
}
