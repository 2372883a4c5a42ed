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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.Prepare;
import org.pyuv4j.ReadCallback;
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
        assertEquals(List.of("shutdown null with 0 bytes read", "read end UV_EOF after " + SIZE + " bytes"),
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
        assertEquals(List.of("read end UV_EOF after " + SIZE + " bytes", "shutdown null"), events);
        assertTrue(peer.isDone());
    }

    /**
     * Writes that must wait for the peer, made after the peer's FIN was processed while we were not
     * reading (so the socket had no reading, no writing and no more input to watch): every write
     * succeeds and arrives, in a burst right after the EOF and in a second burst after the first
     * drained. Regression test: Netty 4.2.18's epoll transport deletes such an idle socket from
     * epoll and then fails the next write that has to wait for EPOLLOUT with ENOENT.
     */
    @Test
    void writesThatMustWaitAfterThePeersFinAllSucceed() {
        watchdog(20);
        int burst = 8 << 20;
        long[] clientReceived = {0};
        List<Integer> writeErrors = new ArrayList<>();
        pair((c, conn) -> {
            ReadCallback<TCP> clientReader = (h, data, e) -> {
                if (data != null) {
                    clientReceived[0] += data.length;
                    return;
                }
                ev("client read end " + err(e) + " after " + clientReceived[0] + " bytes");
                h.close();
            };
            c.shutdown((h, e) -> ev("client shutdown " + err(e)));
            // The server reads only later: its socket sees the FIN while it is not reading.
            after(0.05, () -> conn.startRead((h, data, e) -> {
                ev("server read end " + err(e));
                writeBurst(h, burst, writeErrors, () -> {
                    ev("burst 1 written");
                    c.stopRead();
                    writeBurst(h, burst, writeErrors, () -> {
                        ev("burst 2 written");
                        h.shutdown((x, se) -> {
                            ev("server shutdown " + err(se));
                            x.close();
                        });
                    });
                    after(0.1, () -> c.startRead(clientReader));
                });
                after(0.1, () -> c.startRead(clientReader)); // the first burst waits for this
            }));
        });
        loop.run();
        assertEquals(List.of(), writeErrors, "write errors");
        assertEquals(List.of("client shutdown null", "server read end UV_EOF", "burst 1 written", "burst 2 written",
                "server shutdown null", "client read end UV_EOF after " + (2L * burst) + " bytes"), events);
    }

    /**
     * A connection shut down both ways and left idle (nothing to read, nothing to write, both ends
     * still open) costs the loop nothing: its socket reports EPOLLHUP for good, which must not wake
     * the loop again and again (it would with a level-triggered registration). Counts loop
     * iterations with a Prepare handle over 300 ms of idleness.
     */
    @Test
    void anIdleConnectionShutDownBothWaysDoesNotSpinTheLoop() {
        watchdog(10);
        int[] iterations = {0};
        pair((c, conn) -> {
            conn.startRead((h, data, e) -> {
                ev("server read end " + err(e));
                h.shutdown((x, se) -> ev("server shutdown " + err(se)));
            });
            c.startRead((h, data, e) -> {
                ev("client read end " + err(e));
                after(0.05, () -> {
                    Prepare counter = new Prepare(loop);
                    counter.start(x -> iterations[0]++);
                    after(0.3, () -> {
                        counter.close();
                        c.close();
                        conn.close();
                    });
                });
            });
            c.shutdown((h, e) -> ev("client shutdown " + err(e)));
        });
        loop.run();
        assertEquals(List.of("client shutdown null", "server read end UV_EOF", "server shutdown null",
                "client read end UV_EOF"), events);
        assertTrue(iterations[0] <= 10, "the loop iterated " + iterations[0] + " times in 300 ms of idleness");
    }

    /** Writes {@code size} bytes in 64 KiB chunks; runs {@code then} once every write callback ran. */
    private static void writeBurst(TCP h, int size, List<Integer> errors, Runnable then) {
        int chunks = size / CHUNK;
        int[] done = {0};
        for (int i = 0; i < chunks; i++) {
            h.write(new byte[CHUNK], (x, e) -> {
                if (e != null) {
                    errors.add(e);
                }
                if (++done[0] == chunks) {
                    then.run();
                }
            });
        }
    }
}
