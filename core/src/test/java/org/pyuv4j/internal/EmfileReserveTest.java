package org.pyuv4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;

/**
 * What the EMFILE trick reports to the listen callback (0 = nothing) and how many reserve
 * descriptors it keeps, including the races a real exhaustion cannot time: someone else taking the
 * freed descriptor for a moment or for good, a reserve lost and found again. The process is never
 * exhausted here: the reserve's descriptors come from a fake opener that fails, as {@code open(2)}
 * does with EMFILE, while the test says the process is out of descriptors. The end-to-end behaviour
 * with real sockets and a real descriptor limit is {@code reliability.AcceptEmfileTest}, in a child JVM.
 */
@Timeout(10)
class EmfileReserveTest {
    private static final IOException EMFILE = new IOException("accept(..) failed: Too many open files");

    /** A process with a descriptor table of its own: {@code free} descriptors left. */
    private int free = 1000;
    private int open;
    private EmfileReserve reserve;

    private Closeable openDescriptor() throws IOException {
        if (free == 0) {
            throw new IOException("Too many open files");
        }
        free--;
        open++;
        return () -> {
            free++;
            open--;
        };
    }

    @BeforeEach
    void full() {
        reserve = new EmfileReserve(this::openDescriptor);
        reserve.ensureFull();
        assertEquals(2, reserve.held(), "two reserve descriptors");
        assertEquals(2, open);
    }

    @Test
    void aShedBacklogReportsNothingAndTheReserveIsFullAgain() {
        int[] heldDuringShed = {-1};
        int[] freeDuringShed = {-1};
        free = 0;
        assertEquals(0, reserve.shed(() -> {
            heldDuringShed[0] = reserve.held();
            freeDuringShed[0] = free;
        }));
        assertEquals(1, heldDuringShed[0], "one reserve descriptor is released while the backlog is shed");
        assertEquals(1, freeDuringShed[0], "which frees one descriptor for the accept");
        assertEquals(2, reserve.held());
        assertEquals(0, free, "taken back");
    }

    @Test
    void aDescriptorTakenForAMomentDuringTheShedIsNotReported() {
        free = 0;
        assertEquals(0, reserve.shed(() -> {
            throw EMFILE;
        }));
        assertEquals(2, reserve.held(), "the listener retries at the next poll with a full reserve");
    }

    @Test
    void enfileDuringTheShedIsTreatedLikeEmfile() {
        assertEquals(0, reserve.shed(() -> {
            throw new UncheckedIOException(new IOException("accept(..) failed: Too many open files in system"));
        }));
        assertEquals(2, reserve.held());
    }

    @Test
    void anotherShedErrorIsReported() {
        assertEquals(Errno.UV_ECONNRESET, reserve.shed(() -> {
            throw new IOException("Connection reset by peer");
        }));
        assertEquals(2, reserve.held());
    }

    @Test
    void descriptorsTakenForGoodUseUpTheSpareThenEmfileIsReportedUntilDescriptorsAreFree() {
        int[] sheds = {0};
        free = 0;
        // Each of these sheds ends with the process exhausted: someone took the descriptor the trick freed.
        EmfileReserve.IoAction takenForGood = () -> {
            sheds[0]++;
            free = 0;
            throw EMFILE;
        };
        EmfileReserve.IoAction count = () -> sheds[0]++;
        assertEquals(0, reserve.shed(takenForGood), "the spare is still held: the trick runs again at the next poll");
        assertEquals(1, reserve.held());
        assertEquals(Errno.UV_EMFILE, reserve.shed(takenForGood), "no reserve left");
        assertEquals(0, reserve.held());
        assertEquals(Errno.UV_EMFILE, reserve.shed(count), "no reserve and no descriptor");
        assertEquals(2, sheds[0], "no shed without a reserve");
        free = 10;
        assertEquals(0, reserve.shed(count), "a reserve opened again: the trick runs at the next poll");
        assertEquals(2, reserve.held());
        assertEquals(2, sheds[0], "the shed waits for the next poll");
    }

    @Test
    void ensureFullTopsUpOnlyWhatIsMissing() {
        reserve.ensureFull();
        assertEquals(2, open, "already full: nothing opened");
        free = 0;
        reserve.shed(() -> free = 0);
        assertEquals(1, reserve.held());
        reserve.ensureFull();
        assertEquals(1, reserve.held(), "still exhausted");
        free = 5;
        reserve.ensureFull();
        assertEquals(2, reserve.held(), "back once a descriptor is free");
        assertEquals(2, open);
    }
}
