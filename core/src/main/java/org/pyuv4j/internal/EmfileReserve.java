package org.pyuv4j.internal;

import java.io.FileInputStream;
import java.io.IOException;
import org.pyuv4j.Errno;

/**
 * libuv's EMFILE trick: one descriptor held in reserve so that, when accept() fails for lack of
 * descriptors, closing it makes room to accept and immediately close the pending connections
 * (clients see a close rather than a hang, and the listener is not woken again and again by a
 * backlog it cannot drain). One reserve per process (descriptor limits are per process). Internal.
 */
public final class EmfileReserve {
    private static volatile FileInputStream reserve;

    private EmfileReserve() {
    }

    /**
     * Opens the reserve if it is not held: when a handle starts listening, and after each accepted
     * connection (so that a reserve that could not be taken back right after the trick, because another
     * thread took the descriptor, returns as soon as descriptors are free).
     */
    public static void ensure() {
        if (reserve == null) {
            open();
        }
    }

    /** @return whether the reserve descriptor is held (for tests) */
    public static boolean held() {
        return reserve != null;
    }

    private static synchronized void open() {
        if (reserve == null) {
            try {
                reserve = new FileInputStream("/dev/null");
            } catch (IOException | SecurityException e) {
                reserve = null; // no /dev/null or no descriptor free: retried at the next listen or accept
            }
        }
    }

    /**
     * Sheds a listener's backlog after accept() failed with EMFILE or ENFILE: releases the reserve,
     * runs {@code shed}, takes the reserve back.
     *
     * <p>Unlike a C program, a JVM has threads of its own that open files for a moment (class
     * loading, /proc reads). When one of them takes the descriptor the reserve just freed, the shed
     * fails with EMFILE although the reserve comes back right after; libuv would report that EMFILE.
     * Here it is absorbed when the reserve is held again: the backlog is still there, so the
     * listener is readable at the next poll and the trick runs again. Likewise a missing reserve
     * that can be opened now. Only a process that really has no descriptor hears of it.
     *
     * @param shed accepts and closes pending connections
     * @return 0 when the backlog was shed or the trick can run again at the next poll; otherwise
     *     the negative errno for the listen callback ({@code UV_EMFILE} when no reserve can be held)
     */
    public static synchronized int shedBacklog(IoAction shed) {
        if (reserve == null) {
            open();
            return reserve != null ? 0 : Errno.UV_EMFILE;
        }
        try {
            reserve.close();
        } catch (IOException ignored) {
            // closing /dev/null does not fail in practice
        }
        reserve = null;
        int err = 0;
        try {
            shed.run();
        } catch (IOException | RuntimeException | LinkageError e) {
            err = ErrnoMapper.errno(e);
        } finally {
            open();
        }
        if ((err == Errno.UV_EMFILE || err == Errno.UV_ENFILE) && reserve != null) {
            return 0;
        }
        return err;
    }

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        /** @throws IOException on failure */
        void run() throws IOException;
    }
}
