package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Faults: half-close both ways against an independent peer (plain blocking JDK sockets on a helper
 * thread, bounded by socket timeouts): after our {@code shutdown()} we keep reading everything the
 * peer sends; after the peer shuts its side down (we read EOF) we keep writing and the peer gets
 * every byte, then our FIN. pyuv-spec §3.5: "Reads continue normally (half-close)".
 */
class HalfCloseTest extends ReliabilityTestCase {
    private static final int SIZE = (int) scaled(4 << 20, 256 << 20);
    private static final int CHUNK = 64 << 10;

    private ServerSocket rawServer;
    private Socket rawSocket;
    private Thread peerThread;

    @AfterEach
    void closeRaw() throws Exception {
        if (rawSocket != null) {
            rawSocket.close();
        }
        if (rawServer != null) {
            rawServer.close();
        }
        if (peerThread != null) {
            peerThread.join(10_000);
        }
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** Reads to EOF; returns the SHA-256 and count. */
    private static String[] drain(InputStream in) throws IOException {
        MessageDigest d = sha256();
        byte[] buf = new byte[CHUNK];
        long n = 0;
        int r;
        while ((r = in.read(buf)) >= 0) {
            d.update(buf, 0, r);
            n += r;
        }
        return new String[] {hex(d), Long.toString(n)};
    }

    /** Writes {@code size} bytes from {@code seed}; returns their SHA-256. */
    private static String send(OutputStream out, long seed, int size) throws IOException {
        MessageDigest d = sha256();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[CHUNK];
        for (int left = size; left > 0; left -= CHUNK) {
            r.nextBytes(buf);
            int len = Math.min(CHUNK, left);
            d.update(buf, 0, len);
            out.write(buf, 0, len);
        }
        return hex(d);
    }

    private <T> CompletableFuture<T> onPeerThread(PeerTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        peerThread = new Thread(() -> {
            try {
                result.complete(task.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "raw-peer");
        peerThread.setDaemon(true);
        peerThread.start();
        return result;
    }

    @FunctionalInterface
    private interface PeerTask<T> {
        T run() throws Exception;
    }

    /**
     * We write {@code SIZE} bytes and shut down; the peer reads to our FIN, and only then answers
     * with {@code SIZE} bytes of its own and closes. Our read, started before the shutdown, goes on
     * and receives all of them, then EOF.
     */
    @Test
    void afterOurShutdownWeKeepReading() throws Exception {
        watchdog(20);
        rawServer = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        rawServer.setSoTimeout(10_000);
        long peerSeed = System.nanoTime();
        CompletableFuture<String[]> peer = onPeerThread(() -> {
            try (Socket s = rawServer.accept()) {
                s.setSoTimeout(10_000);
                String[] got = drain(s.getInputStream()); // until our shutdown
                String answer = send(s.getOutputStream(), peerSeed, SIZE);
                return new String[] {got[0], got[1], answer};
            }
        });
        MessageDigest sent = sha256();
        MessageDigest received = sha256();
        long[] receivedBytes = {0};
        long ourSeed = peerSeed + 1;
        TCP c = new TCP(loop);
        c.connect(HOST, rawServer.getLocalPort(), (h, e) -> {
            assertNull(e);
            h.startRead((x, data, re) -> {
                if (data != null) {
                    received.update(data);
                    receivedBytes[0] += data.length;
                    return;
                }
                ev("read end " + err(re) + " after " + receivedBytes[0] + " bytes");
                x.close();
            });
            SplittableRandom r = new SplittableRandom(ourSeed);
            for (int left = SIZE; left > 0; left -= CHUNK) {
                byte[] chunk = new byte[Math.min(CHUNK, left)];
                r.nextBytes(chunk);
                sent.update(chunk);
                h.write(chunk);
            }
            h.shutdown((x, se) -> ev("shutdown " + err(se) + " with " + receivedBytes[0] + " bytes read"));
        });
        loop.run();
        String[] p = peer.get(10, TimeUnit.SECONDS);
        assertEquals(hex(sent), p[0], "the peer got exactly what we wrote before the shutdown");
        assertEquals(Integer.toString(SIZE), p[1]);
        assertEquals(p[2], hex(received), "we got exactly what the peer wrote after our shutdown");
        assertEquals(java.util.List.of("shutdown null with 0 bytes read", "read end UV_EOF after " + SIZE + " bytes"),
                events);
    }

    /**
     * The peer writes {@code SIZE} bytes and shuts its side down, then reads to EOF. We read to
     * EOF, then write {@code SIZE} bytes and shut down: the peer gets all of them and our FIN.
     */
    @Test
    void afterThePeerShutsDownWeKeepWriting() throws Exception {
        watchdog(20);
        long peerSeed = System.nanoTime();
        MessageDigest received = sha256();
        MessageDigest sent = sha256();
        long[] receivedBytes = {0};
        TCP srv = server((s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            s.close();
            conn.startRead((h, data, re) -> {
                if (data != null) {
                    received.update(data);
                    receivedBytes[0] += data.length;
                    return;
                }
                ev("read end " + err(re) + " after " + receivedBytes[0] + " bytes");
                assertEquals(Errno.UV_EOF, re);
                SplittableRandom r = new SplittableRandom(peerSeed + 1);
                for (int left = SIZE; left > 0; left -= CHUNK) {
                    byte[] chunk = new byte[Math.min(CHUNK, left)];
                    r.nextBytes(chunk);
                    sent.update(chunk);
                    h.write(chunk, (x, we) -> {
                        if (we != null) {
                            ev("write " + err(we));
                        }
                    });
                }
                h.shutdown((x, se) -> {
                    ev("shutdown " + err(se));
                    x.close();
                });
            });
        });
        int port = srv.getsockname().port();
        CompletableFuture<String[]> peer = onPeerThread(() -> {
            try (Socket s = new Socket()) {
                rawSocket = s;
                s.connect(new InetSocketAddress(HOST, port), 10_000);
                s.setSoTimeout(10_000);
                String wrote = send(s.getOutputStream(), peerSeed, SIZE);
                s.shutdownOutput();
                String[] got = drain(s.getInputStream()); // our answer, until our FIN
                return new String[] {wrote, got[0], got[1]};
            }
        });
        loop.run();
        String[] p = peer.get(10, TimeUnit.SECONDS);
        assertEquals(p[0], hex(received), "we got exactly what the peer wrote before its shutdown");
        assertEquals(hex(sent), p[1], "the peer got exactly what we wrote after its shutdown");
        assertEquals(Integer.toString(SIZE), p[2]);
        assertEquals(java.util.List.of("read end UV_EOF after " + SIZE + " bytes", "shutdown null"), events);
        assertTrue(peer.isDone());
    }
}
