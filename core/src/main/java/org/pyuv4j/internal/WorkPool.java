package org.pyuv4j.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.pyuv4j.Errno;
import org.pyuv4j.WorkRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread pool behind {@code Loop.queueWork}, shared by all loops like libuv's: daemon threads,
 * {@code UV_THREADPOOL_SIZE} of them (default 4, at most 128), created on first use. Internal.
 */
public final class WorkPool {
    private static final Logger LOG = LoggerFactory.getLogger(WorkPool.class);
    private static volatile ThreadPoolExecutor pool;

    private WorkPool() {
    }

    /**
     * Queues {@code work}; {@code complete} is then called exactly once, from the pool thread with
     * {@code null} after the work ran, or from {@link WorkRequest#cancel()} with {@code UV_ECANCELED}.
     *
     * @param work     the work
     * @param complete completion hand-off (must be thread-safe)
     * @return the cancellable request
     */
    public static WorkRequest submit(Runnable work, Consumer<Integer> complete) {
        Request r = new Request(work, complete);
        pool().execute(r);
        return r;
    }

    /** {@return the pool size: {@code UV_THREADPOOL_SIZE}, default 4, clamped to 1..128 as libuv does} */
    public static int configuredSize() {
        String env = System.getenv("UV_THREADPOOL_SIZE");
        int n = 4;
        if (env != null) {
            try {
                n = Integer.parseInt(env.trim());
            } catch (NumberFormatException ignored) {
                n = 4;
            }
        }
        return Math.max(1, Math.min(128, n));
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = pool;
        if (p == null) {
            synchronized (WorkPool.class) {
                p = pool;
                if (p == null) {
                    int n = configuredSize();
                    AtomicInteger ids = new AtomicInteger();
                    ThreadFactory tf = r -> {
                        Thread t = new Thread(r, "pyuv4j-threadpool-" + ids.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    };
                    p = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), tf);
                    pool = p;
                }
            }
        }
        return p;
    }

    private static final class Request implements WorkRequest, Runnable {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int CANCELLED = 2;

        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final Runnable work;
        private final Consumer<Integer> complete;

        Request(Runnable work, Consumer<Integer> complete) {
            this.work = work;
            this.complete = complete;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return;
            }
            try {
                work.run();
            } catch (Throwable t) {
                // pyuv prints the traceback and does not use the loop's excepthook.
                LOG.error("Unhandled exception in work callback", t);
            }
            complete.accept(null);
        }

        @Override
        public boolean cancel() {
            if (!state.compareAndSet(QUEUED, CANCELLED)) {
                return false;
            }
            pool().remove(this);
            complete.accept(Errno.UV_ECANCELED);
            return true;
        }
    }
}
