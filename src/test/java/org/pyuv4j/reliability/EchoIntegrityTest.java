package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;

/**
 * Load: bytes echoed over 100 connections on one loop (client and server handles on the same
 * loop), in random-sized writes through every write flavour (byte[], ByteBuffer, ByteBuf, gathered
 * List), read back through both read flavours (byte[] and ByteBuf), with flow control on both ends.
 * Per connection the SHA-256 and the count of what came back must equal what was sent: nothing
 * lost, duplicated or reordered.
 *
 * <p>CI moves 1 GiB (10.24 MiB per connection, about 10 s per transport on two cores);
 * {@code -Dpyuv4j.soak=true} moves 8 GiB. Both are timed in docs/RELIABILITY.md.
 */
@Timeout(600)
class EchoIntegrityTest extends ReliabilityTestCase {
    private static final int CONNECTIONS = 100;
    private static final long TOTAL = scaled(1L << 30, 8L << 30);
    private static final double LIMIT_SECONDS = scaled(120, 900);
    private static final int MAX_CHUNK = 128 << 10;
    private static final long HIGH_WATER = 1 << 20;
    private static final long LOW_WATER = 256 << 10;
    private static final byte[] POOL = new byte[4 << 20];

    static {
        new SplittableRandom(5).nextBytes(POOL);
    }

    private final List<String> failures = new ArrayList<>();
    private int verified;
    private int accepted;
    private int finished;
    private TCP server;
    private long bytesVerified;

    private void failure(String f) {
        if (failures.size() < 20) {
            failures.add(f);
        }
    }

    @Test
    void bytesEchoedOverOneHundredConnectionsArriveIntactAndInOrder() {
        long seed = System.nanoTime();
        server = server((srv, error) -> {
            assertNull(error);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            new EchoConnection(conn, accepted++ % 2 == 0);
        });
        List<Client> clients = new ArrayList<>();
        long perConnection = TOTAL / CONNECTIONS;
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(new Client(i, perConnection + (i < TOTAL % CONNECTIONS ? 1 : 0), seed + i, server));
        }
        long t0 = System.nanoTime();
        runBounded(LIMIT_SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(List.of(), failures, "seed " + seed);
        assertEquals(CONNECTIONS, verified, "connections verified");
        assertEquals(TOTAL, bytesVerified, "bytes echoed and verified");
        assertNoneLeft(loop.getHandles());
        figure("echo", "%s echoed over %d connections in %.1f s (%.0f MiB/s each way), SHA-256 equal on all",
                mib(TOTAL), CONNECTIONS, seconds, TOTAL / seconds / (1 << 20));
    }

    /** Server side: echoes every read, pausing reads while more than the high-water mark is queued. */
    private final class EchoConnection {
        final TCP h;
        final boolean zeroCopy;
        boolean paused;
        final StatusCallback<TCP> written = (x, e) -> {
            if (e != null) {
                failure("server write " + err(e));
            }
            if (paused && !x.isClosed() && x.getWriteQueueSize() < LOW_WATER) {
                paused = false;
                read();
            }
        };

        EchoConnection(TCP h, boolean zeroCopy) {
            this.h = h;
            this.zeroCopy = zeroCopy;
            read();
        }

        void read() {
            if (zeroCopy) {
                h.startReadBuf((x, buf, e) -> {
                    if (buf != null) {
                        x.write(buf.retain(), written); // the stream releases our reference once written
                        throttle();
                    } else {
                        end(e);
                    }
                });
            } else {
                h.startRead((x, data, e) -> {
                    if (data != null) {
                        x.write(data, written);
                        throttle();
                    } else {
                        end(e);
                    }
                });
            }
        }

        void throttle() {
            if (h.getWriteQueueSize() > HIGH_WATER) {
                paused = true;
                h.stopRead();
            }
        }

        void end(Integer e) {
            if (e != Errno.UV_EOF) {
                failure("server read " + err(e));
                h.close();
                return;
            }
            // shutdown waits for the queued echoes, then sends our FIN
            h.shutdown((x, se) -> {
                if (se != null) {
                    failure("server shutdown " + err(se));
                }
                x.close();
            });
        }
    }

    /** Client side: writes random chunks of the pool, respecting the write queue, and checks the echo. */
    private final class Client {
        final int id;
        final long total;
        final SplittableRandom random;
        final MessageDigest sentDigest = sha256();
        final MessageDigest receivedDigest = sha256();
        final TCP h;
        long sent;
        long received;
        boolean shutdownRequested;
        final StatusCallback<TCP> written = this::written;

        Client(int id, long total, long seed, TCP server) {
            this.id = id;
            this.total = total;
            this.random = new SplittableRandom(seed);
            this.h = new TCP(loop);
            h.connect(server.getsockname(), (x, e) -> {
                if (e != null) {
                    failure("client " + id + " connect " + err(e));
                    end(e);
                    return;
                }
                if (id % 2 == 0) {
                    x.startRead((y, data, re) -> {
                        if (data != null) {
                            received(data.length);
                            receivedDigest.update(data);
                        } else {
                            end(re);
                        }
                    });
                } else {
                    x.startReadBuf((y, buf, re) -> {
                        if (buf != null) {
                            received(buf.readableBytes());
                            receivedDigest.update(buf.nioBuffer());
                        } else {
                            end(re);
                        }
                    });
                }
                pump();
            });
        }

        void written(TCP x, Integer e) {
            if (e != null) {
                failure("client " + id + " write " + err(e));
                return;
            }
            if (x.getWriteQueueSize() < LOW_WATER) {
                pump();
            }
        }

        void received(int n) {
            received += n;
            if (received > sent) {
                failure("client " + id + " received " + received + " bytes but sent only " + sent);
            }
        }

        void pump() {
            if (h.isClosed()) {
                return;
            }
            while (sent < total && h.getWriteQueueSize() <= HIGH_WATER) {
                int len = (int) Math.min(total - sent, 1 + random.nextInt(MAX_CHUNK));
                int off = random.nextInt(POOL.length - len + 1);
                sentDigest.update(POOL, off, len);
                switch (random.nextInt(4)) {
                    case 0 -> h.write(Arrays.copyOfRange(POOL, off, off + len), written);
                    case 1 -> h.write(ByteBuffer.wrap(POOL, off, len), written);
                    case 2 -> {
                        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(len);
                        buf.writeBytes(POOL, off, len);
                        h.write(buf, written); // ownership passes to the stream
                    }
                    default -> {
                        int cut = len / 2;
                        h.write(List.of(Arrays.copyOfRange(POOL, off, off + cut),
                                Arrays.copyOfRange(POOL, off + cut, off + len)), written);
                    }
                }
                sent += len;
            }
            if (sent == total && !shutdownRequested) {
                shutdownRequested = true;
                h.shutdown((x, e) -> {
                    if (e != null) {
                        failure("client " + id + " shutdown " + err(e));
                    }
                });
            }
        }

        void end(Integer e) {
            if (++finished == CONNECTIONS) {
                server.close();
            }
            if (e != Errno.UV_EOF) {
                failure("client " + id + " read " + err(e));
            } else if (received != total || sent != total) {
                failure("client " + id + " sent " + sent + " of " + total + " bytes, received " + received);
            } else {
                String s = HexFormat.of().formatHex(sentDigest.digest());
                String r = HexFormat.of().formatHex(receivedDigest.digest());
                if (s.equals(r)) {
                    verified++;
                    bytesVerified += received;
                } else {
                    failure("client " + id + " SHA-256 sent " + s + " received " + r);
                }
            }
            h.close();
        }
    }
}
