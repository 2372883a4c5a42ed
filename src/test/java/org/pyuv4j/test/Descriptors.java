package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Exhausts the process's descriptors with /dev/null streams, for the EMFILE tests. Load every class
 * the exhausted phase needs before {@link #exhaust()}: loading a class from a directory or a jar not
 * yet opened needs a descriptor too.
 */
public final class Descriptors implements AutoCloseable {
    private final List<FileInputStream> hogs = new ArrayList<>();

    /** Opens /dev/null until the process is out of descriptors; @return how many were opened. */
    public int exhaust() {
        for (;;) {
            try {
                hogs.add(new FileInputStream("/dev/null"));
            } catch (IOException e) {
                assertTrue(String.valueOf(e.getMessage()).contains("Too many open files"), "exhaustion: " + e);
                return hogs.size();
            }
        }
    }

    /** Closes one of the descriptors {@link #exhaust()} opened, so that a diagnostic can run. */
    public void releaseOne() throws IOException {
        if (!hogs.isEmpty()) {
            hogs.remove(hogs.size() - 1).close();
        }
    }

    /**
     * What each descriptor of this process points to (Linux /proc/self/fd), in descriptor order.
     *
     * @return descriptor number to target; null where /proc/self/fd cannot be read
     */
    public static Map<String, String> targets() {
        Path fds = Path.of("/proc/self/fd");
        Map<String, String> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
            for (Path p : dir) {
                try {
                    out.put(p.getFileName().toString(), Files.readSymbolicLink(p).toString());
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        } catch (IOException e) {
            return null;
        }
        return out;
    }

    /**
     * @param target which targets to count
     * @return how many descriptors of this process point to a matching target; -1 where that cannot be read
     */
    public static long count(Predicate<String> target) {
        Map<String, String> all = targets();
        return all == null ? -1 : all.values().stream().filter(target).count();
    }

    /**
     * What this process's descriptors point to, other than /dev/null. For failure messages: what took a
     * descriptor while the process was exhausted, or what is open when a leak check fails.
     */
    public static Set<String> openTargets() {
        Map<String, String> all = targets();
        if (all == null) {
            return Set.of("(cannot list /proc/self/fd)");
        }
        Set<String> out = new TreeSet<>();
        all.forEach((fd, target) -> {
            if (!target.equals("/dev/null")) {
                out.add(fd + " -> " + target);
            }
        });
        return out;
    }

    /** Closes every descriptor {@link #exhaust()} opened. */
    @Override
    public void close() throws IOException {
        for (FileInputStream f : hogs) {
            f.close();
        }
        hogs.clear();
    }
}
