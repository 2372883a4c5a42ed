package org.pyuv4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.test.Descriptors;

/**
 * What the EMFILE trick reports to the listen callback (0 = nothing) and how many reserve
 * descriptors it keeps. The end-to-end behaviour with real sockets is in
 * {@code reliability.AcceptEmfileTest}; these cases cover the races that test cannot time: someone
 * else taking the freed descriptor for a moment or for good, a reserve lost and found again.
 */
@Timeout(10)
class EmfileReserveTest {
    private static final IoFailure EMFILE = () -> new IOException("accept(..) failed: Too many open files");

    private final Descriptors hogs = new Descriptors();

    /** An exception factory, so that the exhausted phase creates no new lambda class. */
    private interface IoFailure {
        IOException get();
    }

    @BeforeEach
    void full() {
        EmfileReserve.ensure();
        assertEquals(2, EmfileReserve.held(), "two reserve descriptors");
    }

    @AfterEach
    void release() throws IOException {
        hogs.close();
        EmfileReserve.ensure();
    }

    @Test
    void aShedBacklogReportsNothingAndTheReserveIsFullAgain() {
        int[] heldDuringShed = {-1};
        assertEquals(0, EmfileReserve.shedBacklog(() -> heldDuringShed[0] = EmfileReserve.held()));
        assertEquals(1, heldDuringShed[0], "one reserve descriptor is released while the backlog is shed");
        assertEquals(2, EmfileReserve.held());
    }

    @Test
    void aDescriptorTakenForAMomentDuringTheShedIsNotReported() {
        assertEquals(0, EmfileReserve.shedBacklog(() -> {
            throw EMFILE.get();
        }));
        assertEquals(2, EmfileReserve.held(), "the listener retries at the next poll with a full reserve");
    }

    @Test
    void enfileDuringTheShedIsTreatedLikeEmfile() {
        assertEquals(0, EmfileReserve.shedBacklog(() -> {
            throw new UncheckedIOException(new IOException("accept(..) failed: Too many open files in system"));
        }));
        assertEquals(2, EmfileReserve.held());
    }

    @Test
    void anotherShedErrorIsReported() {
        assertEquals(Errno.UV_ECONNRESET, EmfileReserve.shedBacklog(() -> {
            throw new IOException("Connection reset by peer");
        }));
        assertEquals(2, EmfileReserve.held());
    }

    @Test
    void descriptorsTakenForGoodUseUpTheSpareThenEmfileIsReportedUntilDescriptorsAreFree() throws IOException {
        int[] sheds = {0};
        // Each of these sheds ends with the process exhausted: the descriptor the trick freed is gone.
        EmfileReserve.IoAction takenForGood = () -> {
            sheds[0]++;
            hogs.exhaust();
            throw EMFILE.get();
        };
        EmfileReserve.IoAction count = () -> sheds[0]++;
        // Results are asserted after the release: a failing assertion loads classes, which needs descriptors.
        int first = EmfileReserve.shedBacklog(takenForGood);
        int heldAfterFirst = EmfileReserve.held();
        int second = EmfileReserve.shedBacklog(takenForGood);
        int heldAfterSecond = EmfileReserve.held();
        int none = EmfileReserve.shedBacklog(count);
        hogs.close();
        int found = EmfileReserve.shedBacklog(count);
        assertEquals(0, first, "the spare is still held: the trick runs again at the next poll");
        assertEquals(1, heldAfterFirst);
        assertEquals(Errno.UV_EMFILE, second, "no reserve left");
        assertEquals(0, heldAfterSecond);
        assertEquals(Errno.UV_EMFILE, none, "no reserve and no descriptor");
        assertEquals(2, sheds[0], "no shed without a reserve");
        assertEquals(0, found, "a reserve opened again: the trick runs at the next poll");
        assertEquals(2, EmfileReserve.held());
    }
}
