package org.pyuv4j.internal;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import org.pyuv4j.Errno;

/**
 * libuv's EMFILE trick: a descriptor held in reserve so that, when accept() fails for lack of
 * descriptors, closing it makes room to accept and immediately close the pending connections
 * (clients see a close rather than a hang, and the listener is not woken again and again by a
 * backlog it cannot drain). Reserves are per process, as descriptor limits are: the static methods
 * use the process's reserve. Internal.
 *
 * <p>Unlike a C program, a JVM opens files of its own at moments it chooses (a class loaded from a
 * directory, a class-path jar opened at its first lookup and then kept open). When that happens
 * while the trick has freed its descriptor, the JVM takes it, for a moment or for good. So two
 * descriptors are held where libuv holds one: the trick releases one at a time, and one taken for
 * good leaves the other for the next time.
 */
public final class EmfileReserve {
    private static final int RESERVES = 2;
    private static final EmfileReserve PROCESS = new EmfileReserve(() -> new FileInputStream("/dev/null"));

    private final Opener opener;
    private final ArrayDeque<Closeable> reserves = new ArrayDeque<>(RESERVES);
    private volatile int held;

    /**
     * A reserve that opens its descriptors with {@code opener} (the process's reserve opens
     * /dev/null; tests pass one that can be told to fail as an exhausted process would).
     *
     * @param opener opens one reserve descriptor
     */
    public EmfileReserve(Opener opener) {
        this.opener = opener;
    }

    /**
     * Tops the process's reserve up if it is not full: when a handle starts listening, and after each
     * accepted connection (so that a reserve that could not be taken back after the trick returns as
     * soon as descriptors are free).
     */
    public static void ensure() {
        PROCESS.ensureFull();
    }

    /**
     * {@link #shed} on the process's reserve.
     *
     * @param shed accepts and closes pending connections
     * @return see {@link #shed}
     */
    public static int shedBacklog(IoAction shed) {
        return PROCESS.shed(shed);
    }

    /** {@return how many descriptors the process's reserve holds (for tests and diagnostics)} */
    public static int processHeld() {
        return PROCESS.held();
    }

    /** Tops this reserve up if it is not full. */
    public void ensureFull() {
        if (held < RESERVES) {
            topUp();
        }
    }

    /** {@return how many reserve descriptors are held} */
    public int held() {
        return held;
    }

    private synchronized void topUp() {
        try {
            while (reserves.size() < RESERVES) {
                reserves.push(opener.open());
            }
        } catch (IOException | SecurityException e) {
            // no /dev/null or no descriptor free: retried at the next listen, accept or trick
        }
        held = reserves.size();
    }

    /**
     * Sheds a listener's backlog after accept() failed with EMFILE or ENFILE: releases one reserve
     * descriptor, runs {@code shed}, tops the reserve up again.
     *
     * <p>libuv reports an accept that fails during the shed to the listen callback. When that failure
     * is EMFILE or ENFILE and a reserve is still held, the descriptor was taken by someone else
     * (see the class comment); it is not reported: the backlog is still there, the listener is
     * readable at the next poll, and the trick runs again. Likewise, with no reserve held, one that
     * can be opened now is opened instead of reporting. Only a process that really has no
     * descriptor to spare hears of it.
     *
     * @param shed accepts and closes pending connections
     * @return 0 when the backlog was shed or the trick can run again at the next poll; otherwise
     *     the negative errno for the listen callback ({@code UV_EMFILE} when no reserve can be held)
     */
    public synchronized int shed(IoAction shed) {
        if (reserves.isEmpty()) {
            topUp();
            return held > 0 ? 0 : Errno.UV_EMFILE;
        }
        try {
            reserves.pop().close();
        } catch (IOException ignored) {
            // closing /dev/null does not fail in practice
        }
        held = reserves.size();
        int err = 0;
        try {
            shed.run();
        } catch (IOException | RuntimeException | LinkageError e) {
            err = ErrnoMapper.errno(e);
        } finally {
            topUp();
        }
        if ((err == Errno.UV_EMFILE || err == Errno.UV_ENFILE) && held > 0) {
            return 0;
        }
        return err;
    }

    /** Opens one reserve descriptor. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @return the open descriptor
         * @throws IOException when none can be opened (EMFILE)
         */
        Closeable open() throws IOException;
    }

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        /** @throws IOException on failure */
        void run() throws IOException;
    }
}
