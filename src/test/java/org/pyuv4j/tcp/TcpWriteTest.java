package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pyuv4j.test.TcpSupport.LINESEP;
import static org.pyuv4j.test.TcpSupport.PING;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.concat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * pyuv-spec §3.3: what is written arrives: bytes, a buffer view, NUL bytes and lists of buffers, and
 * zero-length writes, whose callbacks still fire in order (libuv's test-tcp-writealot.c). Also pyuv's
 * {@code TCPTest.test_tcp1}, {@code TCPTestMemoryview}, {@code TCPTestNull}, {@code TCPTestList} and
 * {@code TCPTestListNull}, which share one flow.
 */
@Timeout(30)
class TcpWriteTest extends TcpTestCase {
    // =========================================================================== TCPTest (shared flow)

    private int clientReads;
    private int serverEofs;

    /**
     * The "flow" shared by TCPTest, TCPTestMemoryview, TCPTestNull, TCPTestList and
     * TCPTestListNull: the accepted connection writes, the client reads it in one chunk and
     * closes, the server side sees EOF and closes itself and the server.
     */
    private void pingFlow(boolean checkConnectionError, Consumer<TCP> serverWrite, byte[] expected,
                          boolean checkClientFlags) {
        listeningServer((srv, error) -> {
            if (checkConnectionError) {
                assertNull(error);
            }
            TCP conn = new TCP(loop);
            srv.accept(conn);
            clientConnections.add(conn);
            conn.startRead(this::onClientConnectionRead);
            serverWrite.accept(conn);
        });
        client = new TCP(loop);
        client.connect(HOST, serverPort(), (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, err) -> {
                assertNotNull(data, () -> "expected data, got error " + TcpSupport.name(err));
                assertArrayEquals(expected, data);
                clientReads++;
                cc.close();
            });
            if (checkClientFlags) {
                assertTrue(c.isReadable());
                assertTrue(c.isWritable());
            }
        });
        loop.run();
        assertEquals(1, clientReads, "client reads");
        assertEquals(1, serverEofs, "server-side EOFs");
        assertTrue(clientConnections.isEmpty());
        assertEquals(List.of(watchdog), loop.getHandles(), "the choreography closes every handle");
    }

    private void onClientConnectionRead(TCP conn, byte[] data, Integer error) {
        if (data == null) {
            conn.close();
            clientConnections.remove(conn);
            server.close();
            serverEofs++;
        }
    }

    @Test
    void test_tcp1() {
        pingFlow(true, conn -> conn.write(PING), PING, true);
    }

    // =========================================================================== TCPTestMemoryview

    @Test
    void test_tcp_memoryview() {
        // memoryview(b"PING"): a view on bytes; here a ByteBuffer view on the middle of an array.
        ByteBuffer view = ByteBuffer.wrap(b("xxPINGyy"), 2, 4);
        pingFlow(true, conn -> {
            conn.write(view);
            assertEquals(2, view.position(), "write must not move the buffer's position");
        }, b("PING"), false);
    }

    // =========================================================================== TCPTestNull

    @Test
    void test_tcp_null() {
        byte[] data = concat(b("PIN\u0000G"), LINESEP);
        pingFlow(true, conn -> conn.write(data), data, false);
    }

    // =========================================================================== TCPTestList

    @Test
    void test_tcp_list() {
        List<byte[]> list = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            list.add(b("PING" + i));
        }
        pingFlow(false, conn -> conn.write(list),
                b("PING1PING2PING3PING4PING5PING6PING7PING8PING9PING10PING11PING12"), false);
    }

    // =========================================================================== TCPTestListNull

    @Test
    void test_tcp_list_null() {
        List<byte[]> list = List.of(b("PING1"), b("PING2"), b("PING3"), b("PING4"), b("PING5"),
                b("PING\u0000\u00ff6"));
        pingFlow(false, conn -> conn.write(list), b("PING1PING2PING3PING4PING5PING\u0000\u00ff6"), false);
    }

    // ---- pyuv-spec §3.3

    /** pyuv-spec §3.3: b'' and [b''] are zero-length write requests whose callbacks still fire, in order. */
    @Test
    void emptyWritesStillCompleteInOrder() {
        watchdog();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    got.writeBytes(data);
                    return;
                }
                ev("peer eof");
                h.close();
            });
            c.write(b("a"), (h, e) -> ev("a " + err(e)));
            c.write(new byte[0], (h, e) -> ev("empty bytes " + err(e)));
            c.write(List.of(new byte[0]), (h, e) -> ev("empty list item " + err(e)));
            c.write(ByteBuffer.allocate(0), (h, e) -> ev("empty buffer " + err(e)));
            c.write(Unpooled.buffer(0), (h, e) -> ev("empty ByteBuf " + err(e)));
            c.write(b("b"), (h, e) -> ev("b " + err(e)));
            c.shutdown((h, e) -> {
                ev("shutdown " + err(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("a null", "empty bytes null", "empty list item null", "empty buffer null",
                "empty ByteBuf null", "b null", "shutdown null", "peer eof"), events);
        assertEquals("ab", got.toString(StandardCharsets.ISO_8859_1));
    }
}
