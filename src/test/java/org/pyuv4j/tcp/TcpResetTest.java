package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.str;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.1 / §3.3: a connection reset by the peer (closed with unread input: the kernel sends
 * a RST) is a read error, ECONNRESET, and then fails writes with ECONNRESET and EPIPE (libuv's
 * test-tcp-rst.c and test-tcp-close-reset.c).
 */
@Timeout(30)
class TcpResetTest extends TcpTestCase {
    /** pyuv-spec §3.1 (verified): ECONNRESET arrives as a read error; reading stops; flags stay (libuv 1.13). */
    @Test
    void resetByPeerIsAReadError() {
        watchdog();
        pair((c, conn) -> {
            c.startRead((h, data, e) -> {
                ev("read " + str(data) + " " + err(e));
                assertFalse(h.isActive(), "reading stops before the error callback");
                assertTrue(h.isReadable());
                assertTrue(h.isWritable());
                h.close();
            });
            // conn never reads: closing it with unread data makes the kernel send a RST.
            c.write(b("hello"), (h, e) -> {
                assertNull(e);
                after(0.05, conn::close);
            });
        });
        loop.run();
        assertEquals(List.of("read null UV_ECONNRESET"), events);
    }

    /**
     * As {@link #resetByPeerIsAReadError}, with the close made inside a poll-phase callback (here a
     * listen callback), where the NIO transport cannot deregister the socket first.
     */
    @Test
    void closeWithUnreadInputInsideAPollPhaseCallbackResetsThePeer() {
        watchdog();
        TCP[] unread = new TCP[1];
        TCP srv = server(HOST, (s, e) -> {
            TCP conn = new TCP(loop);
            s.accept(conn);
            if (unread[0] == null) {
                unread[0] = conn; // never reads
                return;
            }
            unread[0].close(); // inside the second listen callback
            conn.close();
            s.close();
        });
        TCP first = new TCP(loop);
        first.connect(srv.getsockname(), (c, e) -> {
            c.startRead((h, data, re) -> {
                ev("read " + str(data) + " " + err(re));
                h.close();
            });
            c.write(b("hello"), (h, we) -> {
                assertNull(we);
                after(0.05, () -> new TCP(loop).connect(srv.getsockname(), (c2, e2) -> c2.close()));
            });
        });
        loop.run();
        assertEquals(List.of("read null UV_ECONNRESET"), events);
    }

    /** pyuv-spec §3.3 (verified): writing to a peer that reset the connection: ECONNRESET, then EPIPE. */
    @Test
    void writeToAResetPeerGivesEconnresetThenEpipe() {
        watchdog();
        pair((c, conn) -> c.write(b("hello"), (h, e) -> {
            assertNull(e);
            after(0.05, () -> conn.close(x -> after(0.05, () -> {
                c.write(b("a"), (h1, e1) -> ev("write 1 " + err(e1)));
                c.write(b("b"), (h2, e2) -> {
                    ev("write 2 " + err(e2));
                    h2.close();
                });
            })));
        }));
        loop.run();
        assertEquals(List.of("write 1 UV_ECONNRESET", "write 2 UV_EPIPE"), events);
    }
}
