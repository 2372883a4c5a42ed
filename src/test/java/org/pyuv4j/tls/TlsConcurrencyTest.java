package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;
import org.pyuv4j.test.Descriptors;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * 1,000 TLS connections open at once on one loop (pyuv4j clients and a pyuv4j server): every handshake
 * succeeds, every client gets its own 1 KiB back while all are open, and afterwards no socket is left.
 * Handshakes run 32 at a time (a thousand at once on one loop would outlast a 10 s handshake timeout).
 * Both providers: 1,000 (OpenSSL about 4.5 s on NIO under PARANOID; the JDK about 14 s, nearly all of
 * it JDK 17's pure-Java P-256; {@code -Dpyuv4j.tls.jdkConnections=N} runs fewer on a slow machine).
 */
class TlsConcurrencyTest extends UvTestCase {

    private static final int SIZE = 1024;
    private static final int IN_FLIGHT = 32;
    /** JDK 17's elliptic curves are pure Java: 1,000 handshakes take ~14 s under PARANOID. */
    private static final int JDK_CONNECTIONS = Integer.getInteger("pyuv4j.tls.jdkConnections", 1000);

    static java.util.stream.Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    @ParameterizedTest
    @MethodSource("providers")
    @Timeout(120)
    void manyConcurrentTlsConnections(SslProvider provider) {
        TlsSupport.assumeAvailable(provider);
        final SslProvider PROVIDER = provider;
        final int CONNECTIONS = provider == SslProvider.JDK ? JDK_CONNECTIONS : 1000;
        long socketsBefore = Descriptors.count(t -> t.startsWith("socket:"));
        SslContext sc = TlsSupport.serverContext(PROVIDER, TlsSupport.server());
        SslContext cc = TlsSupport.clientContext(PROVIDER);
        int[] handshakes = new int[2];
        int[] echoed = {0};
        long[] concurrent = {0};
        List<String> failures = new ArrayList<>();
        TcpSupport.watchdog(loop, 90, () -> handshakes[0] + " client and " + handshakes[1] + " server handshakes, "
                + echoed[0] + " echoes, failures " + failures);
        TCP server = new TCP(loop);
        server.bind(HOST, 0);
        server.listen((srv, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            conn.nodelay(true); // libuv leaves Nagle on: a handshake's small flights would wait for delayed ACKs
            conn.startTls(sc, (h, he) -> {
                if (he != null) {
                    failures.add("server " + TcpSupport.name(he));
                    h.close();
                    return;
                }
                handshakes[1]++;
                h.startRead((x, d, re) -> {
                    if (d != null) {
                        x.write(d);
                    } else {
                        x.close();
                    }
                });
            });
        }, 2048);
        int port = server.getsockname().port();
        long t0 = System.nanoTime();
        List<TCP> open = new ArrayList<>();
        // All CONNECTIONS stay open together until the last echo; handshakes run IN_FLIGHT at a time, since
        // a thousand at once on one loop under PARANOID would outlast a 10 s handshake timeout.
        Runnable[] next = new Runnable[1];
        int[] started = {0};
        next[0] = () -> {
            if (started[0] == CONNECTIONS) {
                return;
            }
            int i = started[0]++;
            byte[] payload = new byte[SIZE];
            new Random(i).nextBytes(payload);
            TCP c = new TCP(loop);
            c.nodelay(true);
            open.add(c);
            c.connect(HOST, port, (h, e) -> {
                if (e != null) {
                    failures.add("connect " + TcpSupport.name(e));
                    return;
                }
                h.startTls(cc, TlsSupport.SERVER_NAME, (x, he) -> {
                    next[0].run();
                    if (he != null) {
                        failures.add("client " + TcpSupport.name(he) + " " + x.getTlsFailure());
                        return;
                    }
                    handshakes[0]++;
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    x.startRead((y, d, re) -> {
                        if (d == null) {
                            failures.add("client read " + Errno.errorcode(re));
                            return;
                        }
                        got.writeBytes(d);
                        if (got.size() == SIZE) {
                            assertArrayEquals(payload, got.toByteArray());
                            if (++echoed[0] == CONNECTIONS) {
                                concurrent[0] = open.stream().filter(t -> !t.isClosed()).count();
                                server.close();
                                open.forEach(TCP::close);
                            }
                        }
                    });
                    x.write(payload);
                });
            });
        };
        for (int i = 0; i < IN_FLIGHT; i++) {
            next[0].run();
        }
        long deadline = System.nanoTime() + 100_000_000_000L;
        while (loop.run(RunMode.ONCE)) {
            assertTrue(System.nanoTime() < deadline, () -> "still running after 100 s: " + handshakes[0]
                    + " client handshakes, " + echoed[0] + " echoes, failures " + failures);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[tls] %s %d concurrent TLS connections (%s provider): %.1f s%n", transport(),
                CONNECTIONS, PROVIDER, seconds);
        assertEquals(List.of(), failures);
        assertEquals(CONNECTIONS, handshakes[0]);
        assertEquals(CONNECTIONS, handshakes[1]);
        assertEquals(CONNECTIONS, echoed[0]);
        assertEquals(CONNECTIONS, concurrent[0], "every connection open at the last echo");
        loop.run(RunMode.NOWAIT);
        long socketsAfter = Descriptors.count(t -> t.startsWith("socket:"));
        assertTrue(socketsAfter <= socketsBefore, () -> "sockets: " + socketsBefore + " before, " + socketsAfter + " after");
    }
}
