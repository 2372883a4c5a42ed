package org.pyuv4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.test.Descriptors;

/**
 * What the EMFILE trick reports to the listen callback (0 = nothing). The end-to-end behaviour with
 * real sockets is in {@code reliability.AcceptEmfileTest}; these cases cover the races that test
 * cannot time: another thread taking the freed descriptor, a reserve lost and found again.
 */
@Timeout(10)
class EmfileReserveTest {
    private final Descriptors hogs = new Descriptors();

    @AfterEach
    void release() throws IOException {
        hogs.close();
        EmfileReserve.ensure();
    }

    @Test
    void aShedBacklogReportsNothingAndTheReserveIsHeldAgain() {
        EmfileReserve.ensure();
        boolean[] heldDuringShed = {true};
        assertEquals(0, EmfileReserve.shedBacklog(() -> heldDuringShed[0] = EmfileReserve.held()));
        assertFalse(heldDuringShed[0], "the reserve is released while the backlog is shed");
        assertTrue(EmfileReserve.held());
    }

    @Test
    void aDescriptorTakenByAnotherThreadDuringTheShedIsNotReportedWhenTheReserveComesBack() {
        EmfileReserve.ensure();
        assertEquals(0, EmfileReserve.shedBacklog(() -> {
            throw new IOException("accept(..) failed: Too many open files");
        }));
        assertTrue(EmfileReserve.held(), "the listener retries at the next poll with the reserve");
    }

    @Test
    void anotherShedErrorIsReported() {
        EmfileReserve.ensure();
        assertEquals(Errno.UV_ECONNRESET, EmfileReserve.shedBacklog(() -> {
            throw new IOException("Connection reset by peer");
        }));
        assertTrue(EmfileReserve.held());
    }

    @Test
    void withNoDescriptorAtAllEmfileIsReportedAndTheReserveReturnsOnceDescriptorsAreFree() throws IOException {
        EmfileReserve.ensure();
        int[] sheds = {0};
        EmfileReserve.IoAction exhaustThenFail = () -> {
            sheds[0]++;
            hogs.exhaust();
            throw new IOException("accept(..) failed: Too many open files");
        };
        EmfileReserve.IoAction count = () -> sheds[0]++;
        // Results are kept and asserted after the release: a failing assertion loads classes, and that
        // needs descriptors.
        int lost = EmfileReserve.shedBacklog(exhaustThenFail);
        boolean heldAfterLoss = EmfileReserve.held();
        int noReserve = EmfileReserve.shedBacklog(count);
        hogs.close();
        int found = EmfileReserve.shedBacklog(count);
        assertEquals(Errno.UV_EMFILE, lost, "the reserve could not be taken back");
        assertFalse(heldAfterLoss);
        assertEquals(Errno.UV_EMFILE, noReserve, "no reserve and no descriptor");
        assertEquals(0, found, "a reserve opened again: the trick runs at the next poll");
        assertEquals(1, sheds[0], "no shed without a reserve");
        assertTrue(EmfileReserve.held());
    }

    @Test
    void enfileDuringTheShedIsTreatedLikeEmfile() {
        EmfileReserve.ensure();
        assertEquals(0, EmfileReserve.shedBacklog(() -> {
            throw new UncheckedIOException(new IOException("accept(..) failed: Too many open files in system"));
        }));
        assertTrue(EmfileReserve.held());
    }
}
