package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.TestLoop;
import org.pyuv4j.test.UvTestCase;

/**
 * run(DEFAULT) lets Netty treat the loop thread as a FastThreadLocalThread for the duration of the
 * run (docs/PERFORMANCE.md); the thread must look like a plain thread again afterwards, the loop must
 * keep working across runs, and a loop run by a real FastThreadLocalThread must work too.
 */
class FastThreadLocalLoopTest extends UvTestCase {

    @Test
    void defaultRunsActAsFastThreadLocalThreadsOnlyWhileRunning() {
        List<Boolean> seen = new ArrayList<>();
        Timer t = new Timer(loop);
        t.start(h -> seen.add(FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()), 0, 0);
        loop.run();
        t.start(h -> seen.add(FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()), 0, 0);
        loop.run(RunMode.ONCE);
        t.close();
        assertEquals(List.of(true, false), seen, "inside run(DEFAULT) only");
        assertFalse(FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals(), "not after run() returned");
    }

    @Test
    void echoesAcrossManyDefaultRuns() {
        for (int r = 0; r < 5; r++) {
            String message = "round " + r;
            List<String> got = new ArrayList<>();
            TCP server = new TCP(loop);
            server.bind(HOST, 0);
            server.listen((s, e) -> {
                TCP c = new TCP(loop);
                s.accept(c);
                c.startRead((h, data, err) -> {
                    if (data != null) {
                        h.write(data);
                    } else {
                        h.close();
                        s.close();
                    }
                });
            });
            TCP client = new TCP(loop);
            client.connect(server.getsockname(), (c, e) -> {
                assertNull(e);
                c.startRead((h, data, err) -> {
                    got.add(new String(data));
                    h.close();
                });
                c.write(message.getBytes());
            });
            loop.run();
            assertEquals(List.of(message), got);
        }
    }

    @Test
    void aLoopRunByARealFastThreadLocalThreadWorks() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> events = new ArrayList<>();
        Thread runner = new FastThreadLocalThread(() -> {
            try (TestLoop own = new TestLoop()) {
                Timer t = new Timer(own);
                t.start(h -> {
                    events.add("fired on " + Thread.currentThread().getName());
                    h.close();
                }, 0.001, 0);
                assertFalse(own.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "ftl-runner");
        runner.start();
        runner.join(20_000);
        assertFalse(runner.isAlive());
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(List.of("fired on ftl-runner"), events);
    }
}
