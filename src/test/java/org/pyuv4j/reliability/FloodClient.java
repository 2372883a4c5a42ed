package org.pyuv4j.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * The client side of {@link ConnectionFloodTest}, run in a child JVM because one process cannot hold
 * both ends of 10,000 connections under a 20,000-descriptor limit. It uses pyuv4j itself on the
 * transport named by {@code -Dpyuv4j.transport}: opens {@code count} connections to
 * {@code host:port}, at most {@code concurrency} of them connecting or awaiting their echo at a
 * time; on each it writes one distinct message and checks that exactly that message comes back.
 * Connections stay open until every one has been echoed (so the server holds them all at once),
 * then all are closed. Prints one {@code RESULT} line and exits 0 only if every connection echoed.
 *
 * <p>Arguments: {@code host port count concurrency limitSeconds}.
 */
public final class FloodClient {
    static final int MESSAGE_SIZE = 100;

    private final Loop loop;
    private final String host;
    private final int port;
    private final int count;
    private final int concurrency;
    private final List<TCP> open = new ArrayList<>();
    private final Map<String, Integer> failures = new TreeMap<>();
    private int started;
    private int inFlight;
    private int connected;
    private int echoed;
    private int failed;
    private int peakInFlight;
    private long firstConnectNanos;
    private long allEchoedNanos;
    private final long t0 = System.nanoTime();
    private Timer limit;
    private boolean stopping;

    private FloodClient(Loop loop, String host, int port, int count, int concurrency) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.count = count;
        this.concurrency = concurrency;
    }

    /** The message of connection {@code i}: distinct per connection, {@link #MESSAGE_SIZE} bytes. */
    static byte[] message(int i) {
        byte[] m = new byte[MESSAGE_SIZE];
        Arrays.fill(m, (byte) ('a' + i % 26));
        byte[] head = ("conn " + i + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, m, 0, head.length);
        m[MESSAGE_SIZE - 1] = '\n';
        return m;
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        double limitSeconds = Double.parseDouble(args[4]);
        boolean ok;
        try (Loop loop = new Loop()) {
            FloodClient c = new FloodClient(loop, host, port, count, concurrency);
            ok = c.run(limitSeconds);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run(double limitSeconds) {
        limit = new Timer(loop);
        limit.start(t -> {
            fail("time limit of " + limitSeconds + " s reached");
            closeAll();
        }, limitSeconds, 0);
        limit.setRef(false);
        startMore();
        loop.run();
        if (!limit.isClosed()) {
            limit.close();
            loop.run();
        }
        long end = System.nanoTime();
        boolean ok = echoed == count && failed == 0 && loop.getHandles().isEmpty();
        System.out.printf("RESULT transport=%s count=%d connected=%d echoed=%d failed=%d peakInFlight=%d"
                        + " connectPhaseMs=%d totalMs=%d handlesLeft=%d failures=%s%n",
                loop.getTransport(), count, connected, echoed, failed, peakInFlight,
                (allEchoedNanos == 0 ? end : allEchoedNanos) / 1_000_000 - t0 / 1_000_000,
                (end - t0) / 1_000_000, loop.getHandles().size(), failures);
        return ok;
    }

    private void fail(String why) {
        failed++;
        failures.merge(why, 1, Integer::sum);
    }

    private void startMore() {
        if (stopping) {
            return;
        }
        while (inFlight < concurrency && started < count) {
            startOne(started++);
        }
        peakInFlight = Math.max(peakInFlight, inFlight);
        if (echoed + failed >= count && started == count) {
            closeAll();
        }
    }

    private void startOne(int i) {
        inFlight++;
        byte[] expected = message(i);
        TCP c = new TCP(loop);
        open.add(c);
        c.connect(host, port, (h, error) -> {
            if (error != null) {
                fail("connect " + Errno.errorcode(error));
                done(h);
                return;
            }
            if (firstConnectNanos == 0) {
                firstConnectNanos = System.nanoTime();
            }
            connected++;
            byte[] got = new byte[MESSAGE_SIZE];
            int[] have = {0};
            h.startRead((x, data, e) -> {
                if (data == null) {
                    fail("read " + Errno.errorcode(e) + " after " + have[0] + " bytes");
                    done(x);
                    return;
                }
                if (have[0] + data.length > MESSAGE_SIZE) {
                    fail("more bytes than sent");
                    done(x);
                    return;
                }
                System.arraycopy(data, 0, got, have[0], data.length);
                have[0] += data.length;
                if (have[0] == MESSAGE_SIZE) {
                    if (Arrays.equals(expected, got)) {
                        echoed++;
                    } else {
                        fail("echo differs from the message sent");
                    }
                    done(x);
                }
            });
            h.write(expected, (x, e) -> {
                if (e != null) {
                    fail("write " + Errno.errorcode(e));
                }
            });
        });
    }

    /** One connection finished (echoed or failed): it stays open; start the next ones. */
    private void done(TCP h) {
        if (!h.isClosed()) {
            h.stopRead();
        }
        inFlight--;
        if (echoed + failed == count) {
            allEchoedNanos = System.nanoTime();
        }
        startMore();
    }

    private void closeAll() {
        stopping = true;
        for (TCP h : open) {
            if (!h.isClosed()) {
                h.close();
            }
        }
        open.clear();
        if (limit != null && !limit.isClosed()) {
            limit.close();
        }
    }
}
