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

    /** Closes every descriptor {@link #exhaust()} opened. */
    @Override
    public void close() throws IOException {
        for (FileInputStream f : hogs) {
            f.close();
        }
        hogs.clear();
    }
}
