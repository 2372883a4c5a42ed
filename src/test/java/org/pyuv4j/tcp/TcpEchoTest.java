package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * An 8 MiB random payload echoed through a server, checked with SHA-256 on both ends. The client
 * writes in random-sized chunks and half-closes; the server echoes every read with a write and,
 * at EOF, shuts down (which waits for the echo writes to drain) and closes. Every read must be a
 * chunk of 1 to 65536 bytes.
 */
class TcpEchoTest extends UvTestCase {
    private static final int SIZE = 8 << 20;
    private static final int MAX_READ = 65536;

    @Test
    @Timeout(60)
    void echoBytes() {
        new Echo(false).run();
    }

    /** startReadBuf on both ends, and the server writes the read buffer itself (retained). */
    @Test
    @Timeout(60)
    void echoByteBufZeroCopy() {
        new Echo(true).run();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private final class Echo {
        final boolean zeroCopy;
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final byte[] payload = new byte[SIZE];
        final MessageDigest serverDigest = sha256();
        final MessageDigest clientDigest = sha256();
        TCP server;
        long serverReceived;
        long clientReceived;
        int serverReads;
        int serverEchoCallbacks;
        int clientChunks;
        int clientWriteCallbacks;
        int clientReads;
        int maxRead;
        boolean clientShutdownDone;
        boolean serverShutdownDone;
        byte[] serverSha;
        byte[] clientSha;

        Echo(boolean zeroCopy) {
            this.zeroCopy = zeroCopy;
            random.nextBytes(payload);
        }

        String ctx() {
            return "seed " + seed + (zeroCopy ? " (ByteBuf)" : " (byte[])");
        }

        void checkChunk(int n) {
            assertTrue(n > 0 && n <= MAX_READ, () -> "read chunk of " + n + " bytes; " + ctx());
            maxRead = Math.max(maxRead, n);
        }

        void run() {
            server = new TCP(loop);
            server.bind(HOST, 0);
            server.listen((srv, error) -> {
                assertNull(error);
                TCP conn = new TCP(loop);
                srv.accept(conn);
                srv.close();
                if (zeroCopy) {
                    conn.startReadBuf((c, buf, err) -> {
                        if (buf == null) {
                            serverEof(c, err);
                            return;
                        }
                        checkChunk(buf.readableBytes());
                        serverReads++;
                        serverReceived += buf.readableBytes();
                        serverDigest.update(buf.nioBuffer());
                        // The buffer is ours only during the callback: retain what we hand to write.
                        c.write(buf.retainedDuplicate(), this::serverEchoed);
                    });
                } else {
                    conn.startRead((c, data, err) -> {
                        if (data == null) {
                            serverEof(c, err);
                            return;
                        }
                        checkChunk(data.length);
                        serverReads++;
                        serverReceived += data.length;
                        serverDigest.update(data);
                        c.write(data, this::serverEchoed);
                    });
                }
            });
            TCP client = new TCP(loop);
            client.connect(HOST, server.getsockname().port(), (c, error) -> {
                assertNull(error);
                if (zeroCopy) {
                    c.startReadBuf((cc, buf, err) -> {
                        if (buf == null) {
                            clientEof(cc, err);
                            return;
                        }
                        checkChunk(buf.readableBytes());
                        clientReads++;
                        clientReceived += buf.readableBytes();
                        clientDigest.update(buf.nioBuffer());
                    });
                } else {
                    c.startRead((cc, data, err) -> {
                        if (data == null) {
                            clientEof(cc, err);
                            return;
                        }
                        checkChunk(data.length);
                        clientReads++;
                        clientReceived += data.length;
                        clientDigest.update(data);
                    });
                }
                int off = 0;
                while (off < SIZE) {
                    int n = random.nextInt(4) == 0 ? 1 + random.nextInt(100) : 1 + random.nextInt(256 << 10);
                    n = Math.min(n, SIZE - off);
                    if (zeroCopy) {
                        c.write(Unpooled.wrappedBuffer(payload, off, n), this::clientWritten);
                    } else {
                        c.write(Arrays.copyOfRange(payload, off, off + n), this::clientWritten);
                    }
                    clientChunks++;
                    off += n;
                }
                c.shutdown((cc, err) -> {
                    assertNull(err, () -> "client shutdown: " + TcpSupport.name(err));
                    assertEquals(clientChunks, clientWriteCallbacks, "shutdown after all writes");
                    clientShutdownDone = true;
                });
            });
            loop.run();

            byte[] expected = sha256().digest(payload);
            assertTrue(clientShutdownDone, ctx());
            assertTrue(serverShutdownDone, ctx());
            assertEquals(clientChunks, clientWriteCallbacks, ctx());
            assertEquals(serverReads, serverEchoCallbacks, ctx());
            assertEquals(SIZE, serverReceived, ctx());
            assertEquals(SIZE, clientReceived, ctx());
            assertNotNull(serverSha, ctx());
            assertNotNull(clientSha, ctx());
            assertArrayEquals(expected, serverSha, "server-side SHA-256; " + ctx());
            assertArrayEquals(expected, clientSha, "client-side SHA-256; " + ctx());
            assertTrue(maxRead <= MAX_READ, ctx());
            assertEquals(List.of(), loop.getHandles(), "every handle closed; " + ctx());
        }

        void serverEchoed(TCP c, Integer err) {
            assertNull(err, () -> "echo write: " + TcpSupport.name(err) + "; " + ctx());
            serverEchoCallbacks++;
        }

        void clientWritten(TCP c, Integer err) {
            assertNull(err, () -> "client write: " + TcpSupport.name(err) + "; " + ctx());
            clientWriteCallbacks++;
        }

        void serverEof(TCP conn, Integer err) {
            assertEquals(Errno.UV_EOF, err, () -> "server read end: " + TcpSupport.name(err) + "; " + ctx());
            serverSha = serverDigest.digest();
            conn.shutdown((c, e) -> {
                assertNull(e, () -> "server shutdown: " + TcpSupport.name(e));
                assertEquals(serverReads, serverEchoCallbacks, "shutdown waits for the echo writes");
                serverShutdownDone = true;
                c.close();
            });
        }

        void clientEof(TCP client, Integer err) {
            assertEquals(Errno.UV_EOF, err, () -> "client read end: " + TcpSupport.name(err) + "; " + ctx());
            clientSha = clientDigest.digest();
            client.close();
        }
    }
}
