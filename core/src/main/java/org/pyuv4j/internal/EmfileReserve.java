package org.pyuv4j.internal;

import java.io.FileInputStream;
import java.io.IOException;

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
     * Runs {@code shed} with the reserve descriptor released, then takes it back.
     *
     * @param shed accepts and closes pending connections
     * @return false when there was no reserve to release
     * @throws IOException what {@code shed} threw
     */
    public static synchronized boolean withReserveReleased(IoAction shed) throws IOException {
        if (reserve == null) {
            return false;
        }
        try {
            reserve.close();
        } catch (IOException ignored) {
            // closing /dev/null does not fail in practice
        }
        reserve = null;
        try {
            shed.run();
        } finally {
            open();
        }
        return true;
    }

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        /** @throws IOException on failure */
        void run() throws IOException;
    }
}
