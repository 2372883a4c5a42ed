package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.ForeignChannels;
import org.pyuv4j.internal.Transports;
import org.pyuv4j.internal.WorkPool;
import org.pyuv4j.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop ({@code pyuv.Loop}): one thread, libuv's phases, Netty's I/O underneath.
 *
 * <p>The thread that first calls {@link #run(RunMode)} owns the loop. Every callback runs on that
 * thread, inside {@code run()}: never before the first {@code run()} and never from inside the API
 * call that caused it. One iteration runs, in libuv's order: due timers; pending callbacks
 * (write, shutdown and deferred connect results); idle, then prepare handles; I/O polling (read,
 * connection, connect and async callbacks); check handles; close callbacks (LIFO).
 *
 * <p>An exception thrown by a callback goes to {@link #excepthook(Throwable)} and the loop goes on.
 * Thread-safe methods: {@link #stop()}, {@link #execute(Runnable)} and {@link Async#send()}.
 */
public class Loop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
    private static final Object DEFAULT_LOCK = new Object();
    private static Loop defaultLoop;
    private static final Runnable WAKE = () -> { };

    private final Transport transport;
    final ManualIoEventLoop io;
    private final LoopThread thread;
    /** The user's own Netty channels on this loop (see {@link #getEventLoop()}). */
    private final ForeignChannels foreign = new ForeignChannels();
    private volatile boolean stopFlag;
    private boolean running;
    private volatile boolean closed; // read by the thread-safe stop() and execute()
    private long time;

    // libuv's loop state, touched only on the loop thread.
    int activeHandles;
    int activeReqs;
    /** Channels whose close the transport completes later (io_uring): the loop lives until they are closed. */
    private int pendingCloses;
    private final AtomicInteger foreignTasks = new AtomicInteger();
    /** Connections handed over by listeners of other loops (TCP.acceptTo). */
    final HandOffs handOffs = new HandOffs(this);
    private int handleCount;
    private final Handle<?> handleList = new Handle.ListHead();
    final TimerHeap timers = new TimerHeap();
    long timerCounter;
    final WatcherQueue idles = new WatcherQueue();
    final WatcherQueue prepares = new WatcherQueue();
    final WatcherQueue checks = new WatcherQueue();
    private ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private ArrayDeque<Runnable> pendingSpare = new ArrayDeque<>();
    private final PostedTasks posted = new PostedTasks();
    private Handle<?> closingHandles;
    private boolean inPoll;
    /** Runs every user callback: the excepthook rule in one place. */
    final Callbacks callbacks = new Callbacks(this);
    private Excepthook excepthook;
    /** pyuv's per-loop read slab: every copying read lands here first (see ReadAllocator). */
    final ReadSlab readSlab = new ReadSlab();

    /**
     * Creates a loop on the best transport available: epoll or kqueue when pyuv4j-transport-native
     * is on the class path and its native library loads, else NIO. The system property
     * {@code pyuv4j.transport} names a transport to use instead.
     *
     * @throws UVError {@code UV_ENOTSUP} if the transport named by {@code pyuv4j.transport} is not available
     */
    public Loop() {
        this(Transports.selectDefault());
    }

    /**
     * Creates a loop on the named transport.
     *
     * @param transport "epoll", "kqueue", "nio", ...
     * @throws UVError {@code UV_ENOTSUP} if that transport is not available here (the detail says why)
     */
    public Loop(String transport) {
        this(Transports.select(Objects.requireNonNull(transport, "transport")));
    }

    private Loop(Transport transport) {
        this.transport = transport;
        // Owner unset: the first run() claims the loop, so it may be built on one thread and run on another.
        this.io = new ManualIoEventLoop(null, null, foreign.wrap(transport.newIoHandlerFactory()));
        this.thread = new LoopThread(io);
        this.time = hrtimeMillis();
    }

    /**
     * pyuv's {@code Loop.default_loop()}: a process-wide loop created on first use.
     *
     * @return the default loop
     */
    public static Loop defaultLoop() {
        synchronized (DEFAULT_LOCK) {
            if (defaultLoop == null || defaultLoop.closed) {
                defaultLoop = new Loop();
            }
            return defaultLoop;
        }
    }

    /** {@return whether this is {@link #defaultLoop()}} */
    public boolean isDefault() {
        synchronized (DEFAULT_LOCK) {
            return defaultLoop == this;
        }
    }

    // ------------------------------------------------------------------ Netty interop

    /**
     * This loop as a Netty event loop (a Java addition, docs/NETTY.md): a {@code Bootstrap} or
     * {@code ServerBootstrap} may use it as its group, with {@link #getSocketChannelClass()} and
     * {@link #getServerSocketChannelClass()}. Its channels' handlers then run on the loop thread
     * inside {@code run()}, in the poll phase, interleaved with pyuv callbacks in libuv's phase order;
     * a channel keeps {@code run()} going while it is registered, as an active handle does. Waiting
     * on a future on the loop thread ({@code sync()}, {@code await()}) raises Netty's
     * {@code BlockingOperationException}: add a listener instead. Before the first {@code run()} the
     * calling thread acts as the loop's thread, as for handles: channels registered then are registered
     * at once, so that the first {@code run()} sees them. Thread-safe.
     *
     * @return the event loop
     */
    public IoEventLoop getEventLoop() {
        thread.lendIfUnowned();
        return io;
    }

    /** {@return the stream channel class of this loop's transport, for a {@code Bootstrap}} */
    public Class<? extends SocketChannel> getSocketChannelClass() {
        return transport.socketChannelClass();
    }

    /** {@return the server channel class of this loop's transport, for a {@code ServerBootstrap}} */
    public Class<? extends ServerSocketChannel> getServerSocketChannelClass() {
        return transport.serverSocketChannelClass();
    }

    /** {@return the transport's name: "epoll", "kqueue", "nio"...} */
    public String getTransport() {
        return transport.name();
    }

    // ------------------------------------------------------------------ run

    /**
     * {@code run(RunMode.DEFAULT)}.
     *
     * @return whether the loop is still alive, as pyuv's {@code run()}
     */
    public boolean run() {
        return run(RunMode.DEFAULT);
    }

    /**
     * Runs the loop (libuv {@code uv_run}).
     *
     * @param mode DEFAULT runs until nothing keeps the loop alive or {@link #stop()} is called;
     *             ONCE runs one iteration, waiting for I/O if nothing is pending; NOWAIT one
     *             iteration without waiting
     * @return whether referenced active handles, requests in flight or closing handles remain
     * @throws IllegalStateException when called from a callback, from a thread other than the
     *                               loop's owner, or after {@link #close()}
     */
    public boolean run(RunMode mode) {
        Objects.requireNonNull(mode, "mode");
        thread.claim();
        if (running) {
            throw new IllegalStateException("Loop.run() called from inside a callback of the same loop");
        }
        checkOpen();
        if (mode == RunMode.DEFAULT && !FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
            // A long run: let Netty treat this thread as its own (FastThreadLocalThread), so that its
            // recyclers and allocator caches work here as on Netty's threads; they are dropped when
            // run() returns. Short ONCE/NOWAIT runs skip this: rebuilding the caches would cost more.
            boolean[] result = new boolean[1];
            FastThreadLocalThread.runWithFastThreadLocal(() -> result[0] = runLoop(mode));
            return result[0];
        }
        return runLoop(mode);
    }

    private boolean runLoop(RunMode mode) {
        running = true;
        try {
            boolean alive = alive();
            if (!alive) {
                refreshTime();
            }
            while (alive && !stopFlag) {
                refreshTime();
                runTimers();
                boolean ranPending = runPending();
                idles.run(this);
                prepares.run(this);
                long timeout = 0;
                if ((mode == RunMode.ONCE && !ranPending) || mode == RunMode.DEFAULT) {
                    timeout = backendTimeout();
                }
                poll(timeout);
                checks.run(this);
                runClosingHandles();
                if (mode == RunMode.ONCE) {
                    refreshTime();
                    runTimers();
                }
                alive = alive();
                if (mode != RunMode.DEFAULT) {
                    break;
                }
            }
            stopFlag = false;
            return alive;
        } finally {
            running = false;
        }
    }

    /**
     * Makes {@code run()} return after the current iteration; called while the loop is not running,
     * the next {@code run()} returns at once. Thread-safe.
     */
    public void stop() {
        stopFlag = true;
        Thread o = thread.owner();
        if (o != null && o != Thread.currentThread() && !closed) {
            // A task (not a bare wakeup) so that the poll sees progress and returns.
            try {
                io.execute(WAKE);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing concurrently: nothing to wake
            }
        }
    }

    /** {@return the cached loop time in milliseconds (monotonic clock), as libuv's {@code uv_now}} */
    public long now() {
        checkThread();
        return time;
    }

    long time() {
        return time;
    }

    /** Refreshes the cached loop time. */
    public void updateTime() {
        checkThread();
        refreshTime();
    }

    private void refreshTime() {
        time = hrtimeMillis();
    }

    private static long hrtimeMillis() {
        return Math.floorDiv(System.nanoTime(), 1_000_000L);
    }

    /**
     * {@return whether referenced active handles, requests in flight or closing handles remain
     *         (libuv {@code uv_loop_alive})}
     */
    public boolean isAlive() {
        checkThread();
        return alive();
    }

    private boolean alive() {
        return activeHandles > 0 || activeReqs > 0 || foreignTasks.get() > 0 || handOffs.pending() > 0
                || closingHandles != null || pendingCloses > 0
                || foreign.registered() > 0; // last: the only term that may walk a list
    }

    /**
     * pyuv's {@code get_timeout()}: how long the next poll would block.
     *
     * @return seconds; 0.0 when it would not block; -0.001 when it would block without limit
     */
    public double getTimeout() {
        checkThread();
        return backendTimeout() / 1000.0;
    }

    /** libuv's uv_backend_timeout, in ms; -1 is infinite. */
    private long backendTimeout() {
        if (stopFlag || (activeHandles == 0 && activeReqs == 0 && foreignTasks.get() == 0 && pendingCloses == 0
                && handOffs.pending() == 0 && foreign.registered() == 0)) {
            return 0;
        }
        if (!idles.isEmpty() || !pending.isEmpty() || closingHandles != null) {
            return 0;
        }
        return timers.nextTimeout(time);
    }

    private void poll(long timeoutMs) {
        inPoll = true;
        try {
            if (timeoutMs == 0) {
                io.runNow();
                posted.runAll();
                return;
            }
            long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            for (;;) {
                long wait = 0; // ManualIoEventLoop: 0 = no limit
                if (deadline != 0) {
                    wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        io.runNow();
                        posted.runAll();
                        return;
                    }
                }
                int ran = io.run(wait);
                ran += posted.runAll();
                if (ran > 0 || stopFlag) {
                    return;
                }
                // Nothing ran: the time is up, or a spurious wakeup (NIO re-arms its wakeup); wait again.
                if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                    return;
                }
            }
        } finally {
            inPoll = false;
        }
    }

    /**
     * Queues {@code task} for the poll phase and wakes the loop; thread-safe. Tasks run in the order
     * posted; a task posted while posted tasks are running waits for the next poll (libuv's async
     * and work-done semantics).
     *
     * @throws RejectedExecutionException if the loop is closed
     */
    void post(Runnable task) {
        if (posted.push(task)) {
            io.execute(WAKE);
        }
    }

    private void runTimers() {
        for (;;) {
            Timer t = timers.peek();
            if (t == null || t.due > time) {
                return;
            }
            t.expire();
        }
    }

    private boolean runPending() {
        if (pending.isEmpty()) {
            return false;
        }
        ArrayDeque<Runnable> batch = pending;
        pending = pendingSpare;
        pendingSpare = batch;
        Runnable r;
        while ((r = batch.poll()) != null) {
            r.run();
        }
        return true;
    }

    private void runClosingHandles() {
        Handle<?> p = closingHandles;
        closingHandles = null;
        while (p != null) {
            Handle<?> next = p.nextClosing;
            p.nextClosing = null;
            p.finishClose();
            p = next;
        }
    }

    // ------------------------------------------------------------------ handles

    /**
     * pyuv's {@code loop.handles}: every handle of this loop that has not finished closing.
     *
     * @return a fresh list, in creation order
     */
    public List<Handle<?>> getHandles() {
        checkThread();
        List<Handle<?>> list = new ArrayList<>(handleCount);
        for (Handle<?> h = handleList.nextHandle; h != handleList; h = h.nextHandle) {
            list.add(h);
        }
        return list;
    }

    void addHandle(Handle<?> h) {
        Handle<?> last = handleList.prevHandle;
        h.prevHandle = last;
        h.nextHandle = handleList;
        last.nextHandle = h;
        handleList.prevHandle = h;
        handleCount++;
    }

    void removeHandle(Handle<?> h) {
        h.prevHandle.nextHandle = h.nextHandle;
        h.nextHandle.prevHandle = h.prevHandle;
        h.prevHandle = null;
        h.nextHandle = null;
        handleCount--;
    }

    void makeClosePending(Handle<?> h) {
        h.nextClosing = closingHandles;
        closingHandles = h;
    }

    /** Runs {@code r} in the next iteration's pending phase (libuv uv__io_feed). */
    void feed(Runnable r) {
        pending.add(r);
    }


    // ------------------------------------------------------------------ callbacks

    /**
     * Whether an I/O event may call user code now: only while polling and not from inside another
     * callback (an event raised synchronously by an API call made in a callback must wait).
     */
    boolean canCallNow() {
        return inPoll && callbacks.depth == 0;
    }

    /**
     * Sets the hook that receives exceptions thrown by callbacks (pyuv's {@code loop.excepthook = f}).
     *
     * @param hook the hook, or {@code null} for the default: log "Unhandled exception in callback"
     *             at ERROR through SLF4J
     */
    public void setExcepthook(Excepthook hook) {
        this.excepthook = hook;
    }

    /**
     * Called with every exception a callback throws; the loop goes on afterwards. Calls the hook
     * given to {@link #setExcepthook}; subclasses may override it (as pyuv subclasses override
     * {@code excepthook}). If the hook throws, both errors are logged ("Unhandled exception in
     * excepthook", then "Unhandled exception in callback").
     *
     * @param error what the callback threw
     */
    public void excepthook(Throwable error) {
        Excepthook hook = excepthook;
        if (hook == null) {
            LOG.error("Unhandled exception in callback", error);
            return;
        }
        try {
            hook.handle(this, error);
        } catch (Throwable hookError) {
            LOG.error("Unhandled exception in excepthook", hookError);
            LOG.error("Unhandled exception in callback", error);
        }
    }

    // ------------------------------------------------------------------ threads

    /**
     * Runs {@code task} on the loop thread inside {@code run()}, in the poll phase (a Java addition;
     * thread-safe). Tasks run in the order they were submitted; one submitted while tasks of this poll
     * are running waits for the next iteration. A queued task keeps the loop alive until it has run;
     * exceptions go to the excepthook.
     *
     * @param task the task
     * @throws IllegalStateException if the loop is closed
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkOpen();
        foreignTasks.incrementAndGet();
        try {
            post(() -> {
                foreignTasks.decrementAndGet();
                callbacks.invoke(task);
            });
        } catch (RejectedExecutionException e) {
            foreignTasks.decrementAndGet();
            throw new IllegalStateException("Loop is closed", e);
        }
    }

    /**
     * {@code queueWork(work, null)}.
     *
     * @param work runs on the shared thread pool
     * @return the request, which can be cancelled until a pool thread starts it
     */
    public WorkRequest queueWork(Runnable work) {
        return queueWork(work, null);
    }

    /**
     * pyuv's {@code queue_work(work_cb, done_cb)}: runs {@code work} on the shared thread pool
     * ({@code UV_THREADPOOL_SIZE} threads, 4 by default), then {@code done} on the loop thread with
     * {@code null}, or {@link Errno#UV_ECANCELED} if the request was cancelled. An exception thrown
     * by {@code work} is logged (not passed to the excepthook, as pyuv) and {@code done} still gets
     * {@code null}. The request keeps the loop alive until {@code done} has run.
     *
     * @param work the work, run off the loop thread
     * @param done the completion callback, or {@code null}
     * @return the request
     */
    public WorkRequest queueWork(Runnable work, Consumer<Integer> done) {
        Objects.requireNonNull(work, "work");
        checkThread();
        checkOpen();
        activeReqs++;
        return WorkPool.submit(work, error -> {
            // Thread-safe hand-off from the pool thread (or from cancel()) to the poll phase.
            post(() -> {
                activeReqs--;
                if (done != null) {
                    callbacks.invoke(() -> done.accept(error));
                }
            });
        });
    }

    void checkThread() {
        thread.check();
    }

    /** {@return whether hand-offs must be discarded: the loop is closed} */
    boolean isClosedForHandOffs() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Loop is closed");
        }
    }

    /** Registers a channel with this loop's Netty event loop. */
    @SuppressWarnings("deprecation")
    ChannelFuture register(Channel channel) {
        ChannelFuture[] f = new ChannelFuture[1];
        foreign.registeringOwn(() -> f[0] = io.register(channel));
        return f[0];
    }

    /**
     * A handle's channel is closing: where the transport completes the close later (io_uring submits
     * it to the ring), the loop keeps polling until it has, so that no descriptor or buffer is left
     * behind when {@code run()} returns. Where it completed inside {@code close()} (epoll, NIO) nothing
     * changes.
     */
    void closing(ChannelFuture close) {
        if (!close.isDone()) {
            pendingCloses++;
            close.addListener(f -> pendingCloses--); // on this loop's thread: the channel's event loop
        }
    }

    /** A user channel on this loop became a handle's (TCP.wrap): it no longer counts as the user's. */
    void adoptChannel(Channel channel) {
        foreign.adopt(channel);
    }

    Transport transport() {
        return transport;
    }

    // ------------------------------------------------------------------ close

    /**
     * Releases the loop's Netty resources (epoll/selector descriptors). A Java addition: pyuv frees
     * its loop when garbage collected. Closing a closed loop does nothing.
     *
     * @throws UVError {@code UV_EBUSY} while handles are open or requests are in flight
     * @throws IllegalStateException when called from inside {@code run()} or from a foreign thread
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkThread();
        if (running) {
            throw new IllegalStateException("Loop.close() called from inside run()");
        }
        if (handleCount > 0 || activeReqs > 0 || foreignTasks.get() > 0 || foreign.registered() > 0) {
            throw new UVError(Errno.UV_EBUSY, handleCount + " handle(s) still open, "
                    + (activeReqs + foreignTasks.get()) + " request(s) in flight, "
                    + foreign.registered() + " Netty channel(s) of the user still registered");
        }
        thread.claim();
        closed = true;
        handOffs.discardAll();
        readSlab.free();
        io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        while (!io.isTerminated()) {
            io.runNow();
        }
        synchronized (DEFAULT_LOCK) {
            if (defaultLoop == this) {
                defaultLoop = null;
            }
        }
    }
}
