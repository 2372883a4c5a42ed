package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.pyuv4j.Errno;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.test.Descriptors;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Shared plumbing of the reliability suite (GitHub issue 5): soak scaling, figures, descriptor and
 * memory probes, and small TCP fixtures. Every test still gets pyuv's TestCase discipline from
 * {@link UvTestCase}: a fresh loop on the transport under test, handles closed and counted at
 * tearDown, Netty's leak detector at PARANOID failing the test on any leaked buffer.
 *
 * <p>{@code -Dpyuv4j.soak=true} turns the bounded CI sizes into the long ones (see
 * docs/RELIABILITY.md); on a machine slower than the reference one, add
 * {@code -Djunit.jupiter.execution.timeout.mode=disabled} (the loop watchdogs still bound each test).
 */
abstract class ReliabilityTestCase extends UvTestCase {
    /** Long sizes and durations, for runs by hand. */
    static final boolean SOAK = Boolean.getBoolean("pyuv4j.soak");

    protected final List<String> events = new ArrayList<>();

    protected void ev(String event) {
        events.add(event);
    }

    static long scaled(long ci, long soak) {
        return SOAK ? soak : ci;
    }

    static String err(Integer errno) {
        return TcpSupport.name(errno);
    }

    /** A loop watchdog (unreferenced timer) that fails the test with the events seen so far. */
    protected Timer watchdog(double seconds) {
        return TcpSupport.watchdog(loop, seconds, () -> "events so far: " + tail(events));
    }

    private static List<String> tail(List<String> l) {
        return l.size() <= 50 ? l : l.subList(l.size() - 50, l.size());
    }

    /**
     * Runs the loop until nothing keeps it alive, one iteration per {@code run(ONCE)} so that
     * TestLoop's per-run watchdog bounds each iteration, and fails after {@code limitSeconds}.
     */
    protected void runBounded(double limitSeconds) {
        long deadline = System.nanoTime() + (long) (limitSeconds * 1e9);
        while (loop.run(RunMode.ONCE)) {
            if (System.nanoTime() - deadline > 0) {
                fail("the loop was still alive after " + limitSeconds + " s; events so far: " + tail(events));
            }
        }
    }

    /** A one-shot timer, {@code seconds} from now (not from a stale loop time), that closes itself and runs {@code r}. */
    protected Timer after(double seconds, Runnable r) {
        loop.updateTime();
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            r.run();
        }, seconds, 0);
        return t;
    }

    /** A server on 127.0.0.1:0. */
    protected TCP server(StatusCallback<TCP> onConnection) {
        return TcpSupport.server(loop, HOST, onConnection);
    }

    /**
     * A connected pair: {@code ready(client, accepted)} runs inside the loop once the connect
     * callback and the accept have both happened; the server is closed after its one accept.
     */
    protected void pair(BiConsumer<TCP, TCP> ready) {
        TcpSupport.pair(loop, HOST, ready);
    }

    // ------------------------------------------------------------------ measurements

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Descriptors open in this process that a leak of pyuv4j's could be made of: sockets, and the pipes
     * and anonymous inodes (epoll, eventfd) of a loop; or all descriptors where /proc cannot be read
     * (-1 where the JDK cannot tell either). Files are not counted on Linux: the JVM opens them at moments
     * nobody controls (a class-path jar at its first lookup, kept open; cgroup files its own threads read
     * for a moment), which would look like a leak in whichever test happened to be running.
     */
    static long openFds() {
        long n = Descriptors.count(t -> t.startsWith("socket:") || t.startsWith("pipe:") || t.startsWith("anon_inode:"));
        if (n >= 0) {
            return n;
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : -1;
    }

    /**
     * Asserts that no descriptor was leaked since {@code before} was taken: the count may not have
     * grown. (It may shrink: a socket an earlier test dropped can be closed meanwhile by the JDK's
     * cleaner, after the GC the leak check runs.)
     *
     * @return the count now
     */
    long assertNoDescriptorLeak(long before, String what) {
        long now = openFds();
        // Before calling anything a leak, let the loop poll up to 20 times, 10 ms apart: a
        // descriptor another thread of the JVM holds for a moment (the test runner, a class loader) is
        // not ours, and a leak stays.
        for (int i = 0; i < 20 && before >= 0 && now > before; i++) {
            Timer poll = new Timer(loop);
            poll.start(Timer::close, 0.01, 0);
            loop.run(RunMode.ONCE);
            now = openFds();
        }
        if (before >= 0 && now > before) {
            fail("descriptors " + what + ": " + now + ", more than the " + before + " before; open now: "
                    + Descriptors.openTargets());
        }
        return now;
    }

    /** The per-process descriptor limit, or -1 where the JDK cannot tell. */
    static long maxFds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : -1;
    }

    /** Direct memory in use by Netty's default allocator (what queued writes hold), in bytes. */
    static long usedDirectMemory() {
        ByteBufAllocator a = ByteBufAllocator.DEFAULT;
        if (a instanceof ByteBufAllocatorMetricProvider p) {
            return p.metric().usedDirectMemory();
        }
        return PlatformDependent.usedDirectMemory();
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / (1 << 20));
    }

    /**
     * Prints one figure for docs/RELIABILITY.md and appends it to target/reliability-figures.txt
     * (the module's build directory).
     */
    protected void figure(String what, String format, Object... args) {
        String line = String.format("[reliability] %-9s %-28s %s", transport(), what, String.format(format, args));
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "reliability-figures.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that an errno is one of {@code allowed}. */
    static void assertErrnoIn(Integer actual, String what, int... allowed) {
        for (int a : allowed) {
            if (actual != null && actual == a) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (int a : allowed) {
            names.add(Errno.errorcode(a));
        }
        fail(what + ": expected one of " + names + " but was " + err(actual));
    }

    static void assertNoneLeft(List<?> handles) {
        assertEquals(List.of(), handles, "handles left on the loop");
    }
}
