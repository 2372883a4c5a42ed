package org.pyuv4j.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.pyuv4j.Async;
import org.pyuv4j.Loop;

/**
 * Server loops for the every-core tests, each run by its own thread: the handles of loop {@code i} are
 * set up on the test's thread before its first {@code run()} (pyuv's rule allows it), then only its
 * thread touches them. {@link #onOwnThread} records a callback that ran on any other thread;
 * {@link #stop(int)} closes a loop's handles from its own thread (an {@link Async}), after which its
 * {@code run()} returns, the loop is closed and the thread ends.
 */
final class LoopThreads implements AutoCloseable {
    final List<Loop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Async> stoppers = new ArrayList<>();
    /** Callbacks that ran on a thread other than their loop's. */
    final ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
    /** Exceptions of the server loops' callbacks. */
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /**
     * @param n      how many loops
     * @param onStop run on loop i's thread when it is stopped: close its handles
     */
    LoopThreads(int n, java.util.function.IntConsumer onStop) {
        for (int i = 0; i < n; i++) {
            Loop loop = new Loop();
            loop.setExcepthook((l, t) -> failures.add(t));
            int index = i;
            stoppers.add(new Async(loop, a -> {
                a.close();
                onStop.accept(index);
            }));
            loops.add(loop);
            Thread t = new Thread(() -> {
                loop.run();
                loop.close();
            }, "server-loop-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Records a callback of loop {@code i} that did not run on its thread. */
    void onOwnThread(int i, String what) {
        if (Thread.currentThread() != threads.get(i)) {
            wrongThread.add(what + " of loop " + i + " ran on " + Thread.currentThread().getName());
        }
    }

    /** Asks loop {@code i} to close its handles (thread-safe). */
    void stop(int i) {
        stoppers.get(i).send();
    }

    /** {@return whether loop {@code i}'s thread has ended, waiting up to 10 s} */
    boolean join(int i) throws InterruptedException {
        Thread t = threads.get(i);
        t.join(10_000);
        return !t.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).isAlive()) {
                stop(i);
            }
        }
        for (int i = 0; i < threads.size(); i++) {
            join(i);
        }
    }
}
