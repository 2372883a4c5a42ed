package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
     * What this process's descriptors point to, other than /dev/null (Linux /proc; empty elsewhere).
     * For failure messages: what took a descriptor while the process was exhausted.
     */
    public static java.util.Set<String> openTargets() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.nio.file.Path fds = java.nio.file.Path.of("/proc/self/fd");
        try (java.nio.file.DirectoryStream<java.nio.file.Path> dir = java.nio.file.Files.newDirectoryStream(fds)) {
            for (java.nio.file.Path p : dir) {
                try {
                    String target = java.nio.file.Files.readSymbolicLink(p).toString();
                    if (!target.equals("/dev/null")) {
                        out.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        } catch (IOException e) {
            out.add("(cannot list /proc/self/fd: " + e + ")");
        }
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
