package org.pyuv4j.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import org.pyuv4j.Errno;

/**
 * libuv's EMFILE trick: a descriptor held in reserve so that, when accept() fails for lack of
 * descriptors, closing it makes room to accept and immediately close the pending connections
 * (clients see a close rather than a hang, and the listener is not woken again and again by a
 * backlog it cannot drain). Reserves are per process, as descriptor limits are. Internal.
 *
 * <p>Unlike a C program, a JVM opens files of its own at moments it chooses (a class loaded from a
 * directory, a class-path jar opened at its first lookup and then kept open). When that happens
 * while the trick has freed its descriptor, the JVM takes it, for a moment or for good. So two
 * descriptors are held where libuv holds one: the trick releases one at a time, and one taken for
 * good leaves the other for the next time.
 */
public final class EmfileReserve {
    private static final int RESERVES = 2;
    private static final ArrayDeque<FileInputStream> reserves = new ArrayDeque<>(RESERVES);
    private static volatile int held;

    private EmfileReserve() {
    }

    /**
     * Tops the reserve up if it is not full: when a handle starts listening, and after each accepted
     * connection (so that a reserve that could not be taken back after the trick returns as soon as
     * descriptors are free).
     */
    public static void ensure() {
        if (held < RESERVES) {
            topUp();
        }
    }

    /** {@return how many reserve descriptors are held (for tests)} */
    public static int held() {
        return held;
    }

    private static synchronized void topUp() {
        try {
            while (reserves.size() < RESERVES) {
                reserves.push(new FileInputStream("/dev/null"));
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
    public static synchronized int shedBacklog(IoAction shed) {
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

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        /**
         * Runs the action.
         *
         * @throws IOException on failure
         */
        void run() throws IOException;
    }
}
