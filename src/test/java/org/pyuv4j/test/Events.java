package org.pyuv4j.test;

import java.util.ArrayList;
import java.util.List;

/** Helpers for the event logs the tests keep. */
public final class Events {
    private Events() {
    }

    /** @return a sorted copy of {@code l}, for events whose callbacks may come in either order */
    public static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }
}
