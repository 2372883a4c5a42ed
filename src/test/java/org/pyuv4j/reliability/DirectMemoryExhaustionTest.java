package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.ChildJvm;

/**
 * Under memory pressure nothing crashes: a copying write that cannot get a direct buffer fails in its
 * callback with {@code UV_ENOBUFS} (libuv's answer to a failed allocation), the loop and the other
 * handles go on, the bytes of the writes that succeeded all arrive, and nothing leaks. Direct memory
 * is process-wide, so it is exhausted in a child JVM ({@link DirectMemoryExhaustion}, under
 * {@code -XX:MaxDirectMemorySize=}{@value #LIMIT}) that checks all of this and reports one line.
 * The child's first line must be the result: an unexpected exception would print a stack trace and end it.
 */
class DirectMemoryExhaustionTest extends ReliabilityTestCase {
    private static final String LIMIT = "32m";
    private static final long WRITTEN = 96L << 20;

    @Test
    void copyingWritesThatFindNoBufferFailWithEnobufsAndEverythingElseGoesOn() {
        try (ChildJvm child = ChildJvm.start(DirectMemoryExhaustion.class, transport(), 0,
                // Netty's own direct-memory accounting (it needs the JDK's no-cleaner constructor): a buffer
                // over the limit fails at once with OutOfDirectMemoryError. Without it the JDK's
                // Bits.reserveMemory runs a GC and retries for about half a second before it fails.
                List.of("-XX:MaxDirectMemorySize=" + LIMIT, "-Dio.netty.tryReflectionSetAccessible=true",
                        "--add-opens", "java.base/java.nio=ALL-UNNAMED"), Long.toString(WRITTEN))) {
            String result = child.expect("RESULT");
            assertEquals(0, child.waitFor(), "the child's exit status" + child.context());
            figure("direct memory exhausted", "%d MiB written in 1 MiB writes under MaxDirectMemorySize=%s: %s",
                    WRITTEN >> 20, LIMIT, result);
        }
    }
}
