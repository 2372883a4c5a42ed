package org.pyuv4j.reliability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.test.LeakDetection;
import org.pyuv4j.test.TcpSupport;

/**
 * The program of {@link DirectMemoryExhaustionTest}, run in a child JVM with a small
 * {@code -XX:MaxDirectMemorySize}: a writer writes far more than the direct memory limit to a peer
 * that does not read, so that copying writes find no buffer. Checked here, and printed as one
 * {@code RESULT} line (exit 0) or a {@code FAIL} line (exit 1):
 * <ul>
 *   <li>every write gets exactly one callback, in order, with {@code null} or {@code UV_ENOBUFS}, and
 *       at least one gets {@code UV_ENOBUFS}; nothing is thrown from {@code write()};</li>
 *   <li>while memory is exhausted the loop goes on: a timer fires, and another connection's write gets
 *       its callback ({@code null} or {@code UV_ENOBUFS}, whichever the allocator says);</li>
 *   <li>once the peer reads, it receives exactly the bytes of the writes that succeeded, in order
 *       (SHA-256), the other connection echoes again, and Netty's leak detector finds nothing.</li>
 * </ul>
 * Argument: the number of bytes to write, in 1 MiB writes.
 */
public final class DirectMemoryExhaustion {
    private static final int CHUNK = 1 << 20;

    private final Loop loop = new Loop();
    private final List<String> problems = new ArrayList<>();
    private final TreeMap<String, Integer> outcomes = new TreeMap<>();
    private final MessageDigest sent = ReliabilityTestCase.sha256();
    private final MessageDigest received = ReliabilityTestCase.sha256();
    private long sentBytes;
    private long receivedBytes;
    private int callbacks;
    private int writes;
    private boolean timerFired;
    private String otherWrite = "no callback";
    private String echo = "none";

    public static void main(String[] args) {
        LeakDetection.install();
        long total = Long.parseLong(args[0]);
        DirectMemoryExhaustion run = new DirectMemoryExhaustion();
        String result = run.run(total);
        System.out.println(result);
        System.exit(result.startsWith("RESULT") ? 0 : 1);
    }

    private String run(long total) {
        TcpSupport.pair(loop, "127.0.0.1", (writer, reader) ->
                TcpSupport.pair(loop, "127.0.0.1", (other, echoer) -> warmUp(total, writer, reader, other, echoer)));
        loop.run();
        loop.close();
        try {
            LeakDetection.assertNoLeaks();
        } catch (AssertionError leak) {
            problems.add(leak.getMessage().replace('\n', ' '));
        }
        if (callbacks != writes) {
            problems.add(callbacks + " callbacks for " + writes + " writes");
        }
        if (!outcomes.containsKey("UV_ENOBUFS")) {
            problems.add("no write met UV_ENOBUFS: " + outcomes);
        }
        if (receivedBytes != sentBytes || !Arrays.equals(sent.digest(), received.digest())) {
            problems.add("the peer received " + receivedBytes + " bytes, the successful writes had " + sentBytes);
        }
        if (!timerFired) {
            problems.add("the timer did not fire while memory was exhausted");
        }
        if (!echo.equals("pong")) {
            problems.add("the other connection did not echo afterwards: " + echo);
        }
        String figures = "writes=" + writes + " outcomes=" + outcomes + " delivered=" + receivedBytes
                + " other-write-while-exhausted=" + otherWrite;
        return problems.isEmpty() ? "RESULT " + figures : "FAIL " + problems + " " + figures;
    }

    /** One echo first: the loop's read buffer is allocated before memory runs out, as a running server's is. */
    private void warmUp(long total, TCP writer, TCP reader, TCP other, TCP echoer) {
        echoer.startRead((h, data, e) -> {
            if (data != null) {
                h.write(data);
            } else {
                h.close();
            }
        });
        other.startRead((h, data, e) -> {
            h.stopRead();
            exhaust(total, writer, reader, other);
        });
        other.write("hi".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] chunk(int index) {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) index);
        return chunk;
    }

    private void exhaust(long total, TCP writer, TCP reader, TCP other) {
        for (long done = 0; done < total; done += CHUNK) {
            int index = writes++;
            writer.write(chunk(index), (h, e) -> {
                if (index != callbacks++) {
                    problems.add("callback of write " + index + " came as number " + (callbacks - 1));
                }
                String outcome = e == null ? "null" : Errno.errorcode(e);
                outcomes.merge(outcome, 1, Integer::sum);
                if (e == null) {
                    sent.update(chunk(index));
                    sentBytes += CHUNK;
                } else if (e != Errno.UV_ENOBUFS) {
                    problems.add("write " + index + ": " + outcome);
                }
                if (callbacks == writes) {
                    h.close();
                }
            });
        }
        // Memory is exhausted now (the queued writes hold it): the loop goes on.
        other.write("ping".getBytes(StandardCharsets.US_ASCII), (h, e) -> otherWrite = e == null ? "null" : Errno.errorcode(e));
        Timer t = new Timer(loop);
        t.start(x -> {
            timerFired = true;
            x.close();
            read(reader, other);
        }, 0.01, 0);
    }

    /** Reads to EOF; a read that finds no buffer stops reading (pyuv), and is started again a little later. */
    private void read(TCP reader, TCP other) {
        reader.startRead((h, data, e) -> {
            if (data != null) {
                received.update(data);
                receivedBytes += data.length;
            } else if (e == Errno.UV_ENOBUFS) {
                outcomes.merge("read UV_ENOBUFS", 1, Integer::sum);
                Timer retry = new Timer(loop);
                retry.start(t -> {
                    t.close();
                    read(reader, other);
                }, 0.001, 0);
            } else {
                h.close();
                pingAgain(other);
            }
        });
    }

    /** After the transfer: the other connection works again. */
    private void pingAgain(TCP other) {
        StringBuilder got = new StringBuilder();
        other.startRead((h, data, e) -> {
            if (data != null) {
                got.append(new String(data, StandardCharsets.US_ASCII));
                if (got.toString().endsWith("pong")) {
                    echo = "pong";
                    h.close();
                }
            } else {
                echo = "read " + Errno.errorcode(e) + " after '" + got + "'";
                h.close();
            }
        });
        other.write("pong".getBytes(StandardCharsets.US_ASCII));
    }
}
