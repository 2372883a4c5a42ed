package org.pyuv4j.transport.iouring;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import org.pyuv4j.internal.ForwardingIoHandler;

/**
 * Netty's io_uring handler, changed in two ways so that one run is one libuv poll phase.
 *
 * <p><b>A poll sees what was ready when it started.</b> libuv's poll phase handles the events one
 * {@code epoll_wait} returned; what becomes ready while their callbacks run (the peer's answer to a write
 * made in a read callback, the refusal of a connect made there) waits for the next iteration, after the
 * check and closing phases. Netty's io_uring handler instead keeps handling completions until the ring has
 * none, including those posted while it handled the first ones (each system call a callback makes lets the
 * kernel post completions, and Netty enters the ring again to submit the reads it re-arms). A one-process
 * echo then ran to its end inside one poll, ahead of the write callbacks of the pending phase
 * ({@code SmokeTest.echo}), and a connect refused after a listener's close reported before the close
 * callback ({@code TcpCloseListenerInCallbackTest}). So the completion queue's tail is read when the first
 * completion of a run is handled: that is the poll's snapshot. Completions behind it are kept, in order,
 * and handed to their channels at the start of the next run, before anything newer (that run does not
 * block while some are kept).
 *
 * <p><b>The ring is usable before the first run.</b> Netty creates it disabled
 * ({@code IORING_SETUP_R_DISABLED}) and enables it in {@code initialize()}, which a
 * {@code ManualIoEventLoop} calls at its first run, so that with {@code IORING_SETUP_SINGLE_ISSUER} the
 * ring belongs to the thread that runs the loop. pyuv lets a program use handles before the first
 * {@code run()}, from the thread that builds the loop, which need not be the one that runs it; Netty enters
 * the ring as soon as 128 submissions are queued, and that {@code io_uring_enter} failed with EBADFD ("File
 * descriptor in bad state"), failing those operations ({@code ApiExceptionTypesTest} makes hundreds of
 * sockets before running). So the ring is made without SINGLE_ISSUER (DEFER_TASKRUN needs it too) and
 * enabled when the handler is made; pyuv4j's thread rule (one thread at a time, the owner once running)
 * keeps it single-threaded.
 */
final class PollSnapshotIoHandler extends ForwardingIoHandler {
    private static final Field RING_BUFFER;
    private static final Method COMPLETION_QUEUE;
    private static final Field RING_HEAD;
    private static final Method COUNT;
    private static final Throwable UNAVAILABLE;

    static {
        Field ringBuffer = null;
        Method completionQueue = null;
        Field ringHead = null;
        Method count = null;
        Throwable unavailable = null;
        try {
            ringBuffer = IoUringIoHandler.class.getDeclaredField("ringBuffer");
            ringBuffer.setAccessible(true);
            completionQueue = ringBuffer.getType().getDeclaredMethod("ioUringCompletionQueue");
            completionQueue.setAccessible(true);
            Class<?> cq = completionQueue.getReturnType();
            ringHead = cq.getDeclaredField("ringHead");
            ringHead.setAccessible(true);
            count = cq.getDeclaredMethod("count");
            count.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = new UnsupportedOperationException("this Netty's io_uring completion queue cannot be read"
                    + " (pyuv4j is tested with Netty 4.2.18.Final): " + e, e);
        }
        RING_BUFFER = ringBuffer;
        COMPLETION_QUEUE = completionQueue;
        RING_HEAD = ringHead;
        COUNT = count;
        UNAVAILABLE = unavailable;
    }

    private final Object completionQueue;
    /** Completions behind the current poll's snapshot, for the next run: handle, registration, event. */
    private final ArrayDeque<Object> kept = new ArrayDeque<>();
    private boolean inRun;
    private boolean snapshotTaken;
    /** The completion queue index where the current poll's snapshot ends. */
    private int snapshotEnd;

    private PollSnapshotIoHandler(IoHandler delegate) {
        super(delegate);
        try {
            completionQueue = COMPLETION_QUEUE.invoke(RING_BUFFER.get(delegate));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        delegate.initialize();
    }

    /** {@return why the handler cannot work with this Netty, or null} */
    static Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    static IoHandlerFactory factory() {
        return ForwardingIoHandler.wrap(IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setSingleIssuer(false)),
                PollSnapshotIoHandler::new);
    }

    @Override
    public void initialize() {
        // done when made
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(new Handle((IoUringIoHandle) handle));
    }

    @Override
    public int run(IoHandlerContext context) {
        inRun = true;
        snapshotTaken = false;
        try {
            int handled = 0;
            if (!kept.isEmpty()) {
                // This poll's snapshot: what was kept from the last one, then what the ring holds now.
                takeSnapshot();
                handled = handOverKept();
                context = new NonBlocking(context);
            }
            return handled + delegate.run(context);
        } finally {
            inRun = false;
        }
    }

    private int handOverKept() {
        int n = 0;
        while (!kept.isEmpty()) {
            Handle h = (Handle) kept.poll();
            IoRegistration registration = (IoRegistration) kept.poll();
            IoEvent event = (IoEvent) kept.poll();
            h.target.handle(registration, event);
            n++;
        }
        return n;
    }

    private void takeSnapshot() {
        snapshotTaken = true;
        try {
            snapshotEnd = RING_HEAD.getInt(completionQueue) + (int) COUNT.invoke(completionQueue);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the completion being handled now is behind this poll's snapshot. */
    private boolean behindSnapshot() {
        if (!inRun) {
            return false;
        }
        if (!snapshotTaken) {
            takeSnapshot();
            return false;
        }
        int index;
        try {
            index = RING_HEAD.getInt(completionQueue) - 1; // Netty moves the head past a completion before handling it
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return index - snapshotEnd >= 0;
    }

    @Override
    public void destroy() {
        kept.clear();
        super.destroy();
    }

    /** A channel's handle: its completions go through the snapshot rule. */
    private final class Handle implements IoUringIoHandle {
        final IoUringIoHandle target;

        Handle(IoUringIoHandle target) {
            this.target = target;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (!kept.isEmpty() || behindSnapshot()) {
                IoUringIoEvent e = (IoUringIoEvent) event; // Netty reuses its event object: copy it
                kept.add(this);
                kept.add(registration);
                kept.add(new IoUringIoEvent(e.res(), e.flags(), e.opcode(), e.userData()));
                return;
            }
            target.handle(registration, event);
        }

        @Override
        public void registered() {
            target.registered();
        }

        @Override
        public void unregistered() {
            // Netty forgets the registration; hand over what was kept for it first, as the kernel posted it first.
            if (!kept.isEmpty()) {
                ArrayDeque<Object> rest = new ArrayDeque<>(kept.size());
                while (!kept.isEmpty()) {
                    Object h = kept.poll();
                    IoRegistration r = (IoRegistration) kept.poll();
                    IoEvent ev = (IoEvent) kept.poll();
                    if (h == this) {
                        target.handle(r, ev);
                    } else {
                        rest.add(h);
                        rest.add(r);
                        rest.add(ev);
                    }
                }
                kept.addAll(rest);
            }
            target.unregistered();
        }

        @Override
        public void close() throws Exception {
            target.close();
        }
    }

    /** The run's context, except that it does not block (kept completions were handed over). */
    private static final class NonBlocking implements IoHandlerContext {
        private final IoHandlerContext context;

        NonBlocking(IoHandlerContext context) {
            this.context = context;
        }

        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return 0;
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return context.shouldReportActiveIoTime();
        }
    }
}
