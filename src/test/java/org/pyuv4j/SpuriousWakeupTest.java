package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.pyuv4j.test.UvTestCase;

/**
 * netty-design.md §1.4: after a cross-thread wakeup, Netty's NIO handler re-arms its selector's
 * wakeup, so the next blocking poll returns at once with nothing done. run(ONCE) must absorb that
 * and still block until it has something to do (here: a timer), on every transport.
 */
class SpuriousWakeupTest extends UvTestCase {

    @RepeatedTest(5)
    void runOnceIsNotEndedEarlyByAWakeupLeftOverFromAnotherThread() throws Exception {
        int[] asyncCalls = {0};
        Async async = new Async(loop, a -> asyncCalls[0]++);
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Prepare prepare = new Prepare(loop);
        prepare.start(p -> {
            aboutToPoll.countDown();
            p.stop();
        });
        Thread sender = new Thread(() -> {
            try {
                if (aboutToPoll.await(10, TimeUnit.SECONDS)) {
                    async.send(); // wakes the loop from another thread while it polls
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        loop.run(RunMode.ONCE);
        sender.join(10_000);
        assertEquals(1, asyncCalls[0]);

        async.close();
        prepare.close();
        loop.run(RunMode.NOWAIT); // finish the closes: only the timer below is left

        int[] fired = {0};
        Timer timer = new Timer(loop);
        timer.start(t -> fired[0]++, 0.15, 0);
        long start = System.nanoTime();
        boolean alive = loop.run(RunMode.ONCE);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, fired[0], "run(ONCE) returned after " + elapsedMs + " ms without running the due timer");
        assertFalse(alive);
        timer.close();
    }
}
