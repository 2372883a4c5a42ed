package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Faults: the peer resets the connection (close with SO_LINGER 0, from a plain {@link Socket} that
 * no selector sees) while we write. Our pending writes must each get exactly one callback: the ones
 * the kernel took before the reset succeed, the rest fail with UV_ECONNRESET or UV_EPIPE (pyuv-spec
 * §3.3: "first UV_ECONNRESET, then UV_EPIPE"); a read in progress gets UV_ECONNRESET (§3.1); the
 * handle then closes cleanly, leaving no handle, buffer or descriptor behind.
 */
class PeerResetTest extends ReliabilityTestCase {
    private static final int CHUNK = 64 << 10;

    private final List<Socket> rawSockets = new ArrayList<>();
    private ServerSocket rawServer;

    @AfterEach
    void closeRawSockets() throws IOException {
        for (Socket s : rawSockets) {
            s.close();
        }
        if (rawServer != null) {
            rawServer.close();
        }
    }

    /** A plain blocking client socket connected to {@code port} (the kernel completes it from the backlog). */
    private Socket rawClient(int port) throws IOException {
        Socket s = new Socket();
        rawSockets.add(s);
        s.connect(new InetSocketAddress(HOST, port), 5000);
        s.setSoLinger(true, 0);
        return s;
    }

    private static void reset(Socket s) {
        try {
            s.close(); // SO_LINGER 0: the kernel sends RST and drops anything unread
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one write callback reported, in call order. */
    private final List<Integer> writeResults = new ArrayList<>();
    private int writesIssued;
    private final List<Integer> reads = new ArrayList<>();
    private org.pyuv4j.Timer watchdog;
    private boolean closeCallbackRan;

    /** Writes until the stream queues (the peer does not read), then eight more chunks. */
    private void writeUntilQueued(TCP h, Runnable afterEach) {
        byte[] chunk = new byte[CHUNK];
        int extra = 8;
        while (extra > 0) {
            if (h.getWriteQueueSize() > 0) {
                extra--;
            }
            writesIssued++;
            h.write(chunk, (x, e) -> {
                writeResults.add(e);
                afterEach.run();
            });
            if (writesIssued > 4096) {
                fail("the write queue stayed empty after " + writesIssued + " writes to a peer that does not read");
            }
        }
    }

    private void closeWhenSettled(TCP h, boolean expectReadEnd) {
        if (writeResults.size() == writesIssued && (!expectReadEnd || !reads.isEmpty()) && !h.isClosed()) {
            h.close(x -> closeCallbackRan = true);
        }
    }

    /**
     * Successes first, then only failures, each UV_ECONNRESET or UV_EPIPE; at least one failure.
     * While reading, libuv's read(2) takes the socket error first (it handles POLLIN before
     * POLLOUT), so every failed write is UV_EPIPE.
     */
    private void assertWriteResultsWhileReading() {
        assertWriteResults();
        for (Integer e : writeResults) {
            if (e != null) {
                assertEquals(Errno.UV_EPIPE, e, () -> "failed writes while reading: " + names(writeResults));
            }
        }
    }

    private void assertWriteResults() {
        assertEquals(writesIssued, writeResults.size(), "one callback per write");
        boolean failed = false;
        for (int i = 0; i < writeResults.size(); i++) {
            Integer e = writeResults.get(i);
            if (e == null) {
                assertFalse(failed, "write " + i + " succeeded after an earlier write failed: " + names(writeResults));
            } else {
                failed = true;
                assertErrnoIn(e, "write " + i, Errno.UV_ECONNRESET, Errno.UV_EPIPE);
            }
        }
        assertTrue(failed, "no write failed although the peer reset: " + names(writeResults));
    }

    private void assertClean(long fdsBefore) {
        assertTrue(closeCallbackRan, "close callback");
        watchdog.close();
        loop.run();
        assertNoneLeft(loop.getHandles());
        for (Socket s : rawSockets) {
            assertTrue(s.isClosed());
        }
        if (fdsBefore >= 0) {
            assertNoDescriptorLeak(fdsBefore, "after the reset and close");
        }
    }

    /** An accepted handle, reading and writing, whose client resets. */
    @Test
    void acceptedHandleWritingAndReadingWhenThePeerResets() throws IOException {
        watchdog = watchdog(10);
        long fdsBefore = openFds();
        TCP[] conn = new TCP[1];
        TCP srv = server((s, e) -> {
            assertNull(e);
            conn[0] = new TCP(loop);
            s.accept(conn[0]);
            s.close();
            TCP h = conn[0];
            h.startRead((x, data, re) -> {
                assertNull(data, "the peer sends nothing");
                reads.add(re);
                closeWhenSettled(x, true);
            });
            writeUntilQueued(h, () -> closeWhenSettled(h, true));
            after(0.05, () -> reset(rawSockets.get(0)));
        });
        rawClient(srv.getsockname().port());
        loop.run();
        assertEquals(List.of(Errno.UV_ECONNRESET), reads, () -> "read results: " + names(reads));
        assertWriteResultsWhileReading();
        closeRawSockets();
        rawServer = null;
        assertClean(fdsBefore);
    }

    /** A client handle, writing and reading, whose server resets. */
    @Test
    void clientHandleWritingAndReadingWhenThePeerResets() throws IOException {
        watchdog = watchdog(10);
        long fdsBefore = openFds();
        rawServer = new ServerSocket(0, 50, java.net.InetAddress.getByName(HOST));
        rawServer.setSoTimeout(5000);
        TCP c = new TCP(loop);
        c.connect(HOST, rawServer.getLocalPort(), (h, e) -> {
            assertNull(e);
            Socket peer;
            try {
                peer = rawServer.accept(); // already in the backlog: does not block
                rawSockets.add(peer);
                peer.setSoLinger(true, 0);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            h.startRead((x, data, re) -> {
                assertNull(data, "the peer sends nothing");
                reads.add(re);
                closeWhenSettled(x, true);
            });
            writeUntilQueued(h, () -> closeWhenSettled(h, true));
            after(0.05, () -> reset(peer));
        });
        loop.run();
        assertEquals(List.of(Errno.UV_ECONNRESET), reads, () -> "read results: " + names(reads));
        assertWriteResultsWhileReading();
        closeRawSockets();
        rawServer = null;
        assertClean(fdsBefore);
    }

    /**
     * Writing without reading when the peer resets: pyuv-spec §3.3 (verified) says the first failed
     * write gets UV_ECONNRESET and the later ones UV_EPIPE; a read started afterwards sees the end.
     */
    @Test
    void writerThatIsNotReadingGetsEconnresetThenEpipe() throws IOException {
        watchdog = watchdog(10);
        long fdsBefore = openFds();
        TCP srv = server((s, e) -> {
            assertNull(e);
            TCP h = new TCP(loop);
            s.accept(h);
            s.close();
            writeUntilQueued(h, () -> {
                if (writeResults.size() == writesIssued) {
                    // All written or failed: now read; the reset was already reported by a write.
                    h.startRead((x, data, re) -> {
                        assertNull(data);
                        reads.add(re);
                        closeWhenSettled(x, true);
                    });
                }
            });
            after(0.05, () -> reset(rawSockets.get(0)));
        });
        rawClient(srv.getsockname().port());
        loop.run();
        assertWriteResults();
        Integer first = writeResults.stream().filter(x -> x != null).findFirst().orElseThrow();
        assertEquals(Errno.UV_ECONNRESET, first, () -> "first failed write: " + names(writeResults));
        long resets = writeResults.stream().filter(x -> x != null && x == Errno.UV_ECONNRESET).count();
        assertEquals(1, resets, () -> "only the first failure is ECONNRESET, the rest EPIPE: " + names(writeResults));
        assertEquals(1, reads.size(), reads::toString);
        // The write took the socket error; read(2) then returns 0 (Linux).
        assertEquals(Errno.UV_EOF, reads.get(0), () -> "read after the reset: " + err(reads.get(0)));
        closeRawSockets();
        assertClean(fdsBefore);
    }

    /** Reading only: the reset ends the read with UV_ECONNRESET; a later write fails with UV_EPIPE. */
    @Test
    void readerGetsEconnresetAndALaterWriteFailsWithEpipe() throws IOException {
        watchdog = watchdog(10);
        long fdsBefore = openFds();
        TCP srv = server((s, e) -> {
            assertNull(e);
            TCP h = new TCP(loop);
            s.accept(h);
            s.close();
            h.startRead((x, data, re) -> {
                assertNull(data);
                reads.add(re);
                writesIssued++;
                x.write(new byte[] {'x'}, (y, we) -> {
                    writeResults.add(we);
                    closeWhenSettled(y, true);
                });
            });
            after(0.05, () -> reset(rawSockets.get(0)));
        });
        rawClient(srv.getsockname().port());
        loop.run();
        assertEquals(List.of(Errno.UV_ECONNRESET), reads, () -> "read results: " + names(reads));
        assertEquals(List.of(Errno.UV_EPIPE), writeResults, () -> "write after the reset: " + writeResults);
        closeRawSockets();
        assertClean(fdsBefore);
    }

    private static List<String> names(List<Integer> errnos) {
        List<String> l = new ArrayList<>();
        for (Integer e : errnos) {
            l.add(err(e));
        }
        return l;
    }
}
