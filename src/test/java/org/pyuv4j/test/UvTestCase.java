package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Handle;
import org.pyuv4j.Loop;

/**
 * pyuv's {@code tests/common.py TestCase}: a fresh {@link TestLoop} per test on the transport under
 * test ({@code -Dpyuv4j.transport}); tearDown closes every handle still open (ignoring errors), runs
 * the loop, and then checks that the loop ended empty and closes it.
 */
@Timeout(60)
public abstract class UvTestCase {
    /** The loopback address pyuv's tests use. */
    public static final String HOST = "127.0.0.1";

    protected TestLoop loop;

    @BeforeEach
    void createLoop() {
        loop = new TestLoop();
        String expected = System.getProperty("pyuv4j.transport");
        if (expected != null && !expected.isBlank()) {
            assertEquals(expected, loop.getTransport(), "the suite must run on the transport under test");
        }
    }

    @AfterEach
    void closeLoop() {
        if (loop == null) {
            return;
        }
        try {
            for (Handle<?> h : loop.getHandles()) {
                try {
                    h.close();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
            loop.run();
            List<Handle<?>> left = loop.getHandles();
            assertEquals(List.of(), left, "handles left after tearDown");
        } finally {
            loop.close();
        }
    }

    /** @return the transport under test ("nio", "epoll", ...) */
    protected String transport() {
        return loop.getTransport();
    }

    /** @return whether the transport exposes descriptors (open/fileno) */
    protected boolean nativeTransport() {
        return !"nio".equals(loop.getTransport());
    }
}
