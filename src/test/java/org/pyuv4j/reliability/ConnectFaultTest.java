package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.test.TcpSupport;

/**
 * Faults at connect time: a refused connect (many at once), and a connect to an address that never
 * answers, then closed. pyuv-spec §4.6: ECONNREFUSED arrives in the callback, the handle stays open,
 * writes queued meanwhile get UV_ECANCELED right after it; §2.2: closing while connecting completes
 * the connect, then the writes, then the shutdown with UV_ECANCELED, then the close callback.
 *
 * <p>The address that never answers is made on loopback: a listener with a backlog of 1 that never
 * accepts; once its accept queue is full, Linux drops further SYNs (the client retransmits for about
 * two minutes). The test first proves the technique works on this kernel with a raw JDK socket.
 */
class ConnectFaultTest extends ReliabilityTestCase {
    private static final int REFUSED = (int) scaled(200, 5000);

    private ServerSocketChannel blackhole;
    private final List<SocketChannel> fillers = new ArrayList<>();

    @AfterEach
    void closeRaw() throws IOException {
        for (SocketChannel c : fillers) {
            c.close();
        }
        if (blackhole != null) {
            blackhole.close();
        }
    }

    @Test
    void refusedConnectsReportEconnrefusedCancelTheirWritesAndLeaveNothingBehind() {
        Timer dog = watchdog(20);
        int port = TcpSupport.unusedPort(loop);
        loop.run(); // the probe's close callback
        long fdsBefore = openFds();
        Map<String, Integer> outcome = new TreeMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < REFUSED; i++) {
            boolean first = i == 0;
            TCP c = new TCP(loop);
            c.connect(HOST, port, (h, e) -> {
                outcome.merge("connect " + err(e), 1, Integer::sum);
                if (first) {
                    order.add("connect " + err(e));
                }
                assertFalse(h.isClosed(), "a failed connect does not close the handle");
            });
            c.write(new byte[] {1, 2, 3}, (h, e) -> {
                outcome.merge("write " + err(e), 1, Integer::sum);
                if (first) {
                    order.add("write " + err(e));
                }
                h.close(x -> outcome.merge("closed", 1, Integer::sum));
            });
        }
        long t0 = System.nanoTime();
        loop.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(Map.of("connect UV_ECONNREFUSED", REFUSED, "write UV_ECANCELED", REFUSED, "closed", REFUSED),
                outcome);
        assertEquals(List.of("connect UV_ECONNREFUSED", "write UV_ECANCELED"), order);
        dog.close();
        loop.run();
        assertNoneLeft(loop.getHandles());
        long fdsAfter = assertNoDescriptorLeak(fdsBefore, "after " + REFUSED + " refused connects");
        // The loop carries on: a real connection on the same loop works.
        byte[][] echoed = new byte[1][];
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    h.write(data);
                } else {
                    h.close();
                }
            });
            c.startRead((h, data, e) -> {
                echoed[0] = data;
                h.close();
            });
            c.write(new byte[] {'o', 'k'});
        });
        loop.run();
        assertArrayEquals(new byte[] {'o', 'k'}, echoed[0]);
        figure("refused connects", "%d concurrent refused connects (each with a queued write) completed in %.0f ms;"
                + " descriptors before %d, after %d", REFUSED, ms, fdsBefore, fdsAfter);
    }

    /**
     * Fills the accept queue of a listener that never accepts, and returns a raw connect that is
     * still pending after 300 ms (its SYN is being dropped); fails if the kernel answers them all.
     */
    private SocketChannel fillBlackhole() throws IOException {
        blackhole = ServerSocketChannel.open();
        blackhole.bind(new InetSocketAddress(HOST, 0), 1);
        InetSocketAddress address = (InetSocketAddress) blackhole.getLocalAddress();
        for (int i = 0; i < 16; i++) {
            SocketChannel ch = SocketChannel.open();
            fillers.add(ch);
            ch.configureBlocking(false);
            if (ch.connect(address)) {
                continue;
            }
            try (Selector selector = Selector.open()) {
                ch.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(300) == 0) {
                    return ch; // the SYN was dropped: the queue is full
                }
            }
            assertTrue(ch.finishConnect());
        }
        throw new AssertionError("16 connects to a listener with backlog 1 that never accepts all completed: this"
                + " kernel does not drop SYNs when the accept queue is full, so the test has no address"
                + " that never answers");
    }

    @Test
    void connectToAnAddressThatNeverAnswersThenCloseCancelsInOrder() throws IOException {
        Timer dog = watchdog(10);
        SocketChannel probe = fillBlackhole();
        assertNotNull(probe);
        InetSocketAddress address = (InetSocketAddress) blackhole.getLocalAddress();
        long fdsBefore = openFds();
        TCP c = new TCP(loop);
        c.connect(HOST, address.getPort(), (h, e) -> ev("connect " + err(e)));
        c.write(new byte[] {1}, (h, e) -> ev("write " + err(e)));
        c.shutdown((h, e) -> ev("shutdown " + err(e)));
        long t0 = System.nanoTime();
        after(0.5, () -> {
            ev("closing after 500 ms; probe still pending: " + !probeConnected(probe));
            c.close(h -> ev("close"));
        });
        loop.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(List.of("closing after 500 ms; probe still pending: true", "connect UV_ECANCELED",
                "write UV_ECANCELED", "shutdown UV_ECANCELED", "close"), events);
        assertNull(c.getLoop());
        dog.close();
        loop.run();
        assertNoneLeft(loop.getHandles());
        assertNoDescriptorLeak(fdsBefore, "after the cancelled connect");
        figure("blackhole connect", "connect pending for %.0f ms (SYN dropped by a full accept queue), then close:"
                + " connect, write, shutdown got UV_ECANCELED, then the close callback", ms);
    }

    private static boolean probeConnected(SocketChannel ch) {
        try {
            return ch.finishConnect();
        } catch (IOException e) {
            return false;
        }
    }
}
