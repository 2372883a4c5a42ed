package org.pyuv4j.test;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes Netty's leak detector fail tests: every leak report (the suite runs at PARANOID) is
 * recorded, and {@link #assertNoLeaks()} collects garbage and fails if any was reported.
 * {@link #install()} must run before Netty creates its detectors (the JUnit extension does it first).
 */
public final class LeakDetection {
    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;

    private LeakDetection() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid, not "
                    + ResourceLeakDetector.getLevel());
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    /** Forces a GC, lets Netty poll its reference queues, and throws if any leak was reported. */
    public static void assertNoLeaks() {
        Gc.collect();
        // Allocating makes the buffer detector poll its queue and report what the GC found.
        for (int i = 0; i < 4; i++) {
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
            ByteBufAllocator.DEFAULT.heapBuffer(1).release();
        }
        List<String> found;
        synchronized (LEAKS) {
            found = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " leak(s):\n" + String.join("\n", found));
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        Recording(Class<T> type, int samplingInterval) {
            super(type, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + records);
            }
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + " (untraced)");
            }
            super.reportUntracedLeak(resourceType);
        }
    }
}
