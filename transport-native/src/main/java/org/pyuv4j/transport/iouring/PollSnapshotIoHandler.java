package org.pyuv4j.transport.iouring;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import org.pyuv4j.internal.ForwardingIoHandler;

/**
 * Netty's io_uring handler, changed so that one run is one libuv poll phase, the ring works before the
 * first run, and accepts and read polls are made as libuv makes them (see {@code LibuvSubmissions}).
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
    private static final Method RING_FD;
    private static final Method ENABLE_RINGS;
    private static final Field[] OPS_FIELDS;
    private static final int ACCEPT_FLAGS;
    private static final byte OP_ACCEPT;
    /** IORING_ACCEPT_POLL_FIRST where the kernel has it (6.10+), else 0. */
    private static final short ACCEPT_POLL_FIRST;
    private static final short ACCEPT_MULTISHOT = 1;
    private static final byte OP_POLL_ADD = 6;
    /** IORING_POLL_ADD_MULTI, in a poll's {@code len}. */
    private static final int POLL_ADD_MULTI = 1;
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final Throwable UNAVAILABLE;

    static {
        Field ringBuffer = null;
        Method completionQueue = null;
        Field ringHead = null;
        Method count = null;
        Method ringFd = null;
        Method enableRings = null;
        Field[] opsFields = null;
        int acceptFlags = 0;
        byte opAccept = 0;
        short acceptPollFirst = 0;
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
            ringFd = ringBuffer.getType().getDeclaredMethod("fd");
            ringFd.setAccessible(true);
            enableRings = Class.forName("io.netty.channel.uring.Native", false, IoUringIoHandler.class.getClassLoader())
                    .getDeclaredMethod("ioUringRegisterEnableRings", int.class);
            enableRings.setAccessible(true);
            Class<?> nativeClass = enableRings.getDeclaringClass();
            acceptFlags = staticInt(nativeClass, "SOCK_NONBLOCK") | staticInt(nativeClass, "SOCK_CLOEXEC");
            opAccept = (byte) staticInt(nativeClass, "IORING_OP_ACCEPT");
            Method noWait = IoUring.class.getDeclaredMethod("isAcceptNoWaitSupported");
            noWait.setAccessible(true);
            if ((boolean) noWait.invoke(null)) {
                acceptPollFirst = (short) staticInt(nativeClass, "IORING_ACCEPT_POLL_FIRST");
            }
            String[] names = {"opcode", "flags", "ioPrio", "fd", "union1", "union2", "len", "union3", "data", "union4",
                "personality", "union5", "union6"};
            opsFields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                opsFields[i] = IoUringIoOps.class.getDeclaredField(names[i]);
                opsFields[i].setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = new UnsupportedOperationException("this Netty's io_uring completion queue cannot be read"
                    + " (pyuv4j is tested with Netty 4.2.18.Final): " + e, e);
        }
        RING_BUFFER = ringBuffer;
        COMPLETION_QUEUE = completionQueue;
        RING_HEAD = ringHead;
        COUNT = count;
        RING_FD = ringFd;
        ENABLE_RINGS = enableRings;
        OPS_FIELDS = opsFields;
        ACCEPT_FLAGS = acceptFlags;
        OP_ACCEPT = opAccept;
        ACCEPT_POLL_FIRST = acceptPollFirst;
        UNAVAILABLE = unavailable;
    }

    private static int staticInt(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return ((Number) f.get(null)).intValue();
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
            Object ringBuffer = RING_BUFFER.get(delegate);
            completionQueue = COMPLETION_QUEUE.invoke(ringBuffer);
            // Enabled now, without what Netty's initialize() adds: IORING_REGISTER_RING_FDS registers the ring
            // for the calling thread only (entering it from another fails with EBADF/EINVAL). Netty's
            // initialize() still runs at the first run, on the loop's thread: it registers the ring there
            // (its second enable fails, and Netty ignores the result).
            int result = (int) ENABLE_RINGS.invoke(null, (int) RING_FD.invoke(ringBuffer));
            if (result < 0) {
                throw new IllegalStateException("io_uring_register(IORING_REGISTER_ENABLE_RINGS) failed: " + result);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
    public IoRegistration register(IoHandle handle) throws Exception {
        Handle h = new Handle((IoUringIoHandle) handle);
        return new LibuvSubmissions(delegate.register(h), h);
    }

    /**
     * Submissions as libuv makes them: accepts as its {@code accept4(2)}, in two ways, and read polls as
     * its level-triggered {@code epoll_wait}.
     *
     * <p>Netty's io_uring accept makes blocking sockets (accept flags 0: io_uring itself never blocks on
     * them). pyuv4j writes with write(2) inside {@code write()} and {@code try_write()} (see
     * {@link SyscallsNow}), which must not block: accepts are submitted with SOCK_NONBLOCK | SOCK_CLOEXEC.
     *
     * <p>io_uring's accept takes a descriptor before it looks for a connection, so while the process is
     * out of descriptors every accept ends at once with EMFILE, with or without a client waiting: Netty
     * re-armed it each time (a loop iteration per EMFILE), and an EMFILE that was already posted when
     * descriptors came back set off libuv's EMFILE trick after the fact, shedding a client that could have
     * been served ({@code AcceptEmfileTest}, about one run in four). libuv's accept fails with EMFILE only
     * when a connection is waiting. So accepts wait for a connection first (IORING_ACCEPT_POLL_FIRST, Linux
     * 6.10+), one connection per accept (Netty's multishot accept cannot wait first): EMFILE then means a
     * client is waiting, as on epoll.
     *
     * <p>Netty arms its POLLIN poll multishot, which completes again only on a new wake-up of the socket.
     * When the data and the peer's reset (or FIN) had all arrived before the channel read (a client that
     * writes and resets before the server accepts), Netty read the data, saw the socket empty and waited for
     * a POLLIN that no new event would bring: the reset was never reported and the handle hung
     * ({@code TlsResetTest.aClientResetsInTheMiddleOfTheHandshake}, {@code PeerResetBeforeReadTest}). A
     * single-shot poll looks at the socket's state when it is armed, as epoll's level-triggered wait does,
     * so POLLIN polls are submitted without IORING_POLL_ADD_MULTI (Netty re-arms one that ends without
     * IORING_CQE_F_MORE).
     */
    private static final class LibuvSubmissions extends ForwardingIoHandler.Registration {
        private final Handle handle;

        LibuvSubmissions(IoRegistration delegate, Handle handle) {
            super(delegate);
            this.handle = handle;
        }

        @Override
        public long submit(IoOps ops) {
            if (ops instanceof IoUringIoOps) {
                IoUringIoOps o = (IoUringIoOps) ops;
                ops = asLibuvDoes(o);
                handle.submitted(o);
            }
            return delegate.submit(ops);
        }
    }

    private static IoUringIoOps asLibuvDoes(IoUringIoOps ops) throws IllegalStateException {
        try {
            Field[] f = OPS_FIELDS;
            byte opcode = f[0].getByte(ops);
            short ioPrio = f[2].getShort(ops);
            int len = f[6].getInt(ops);
            int union3 = f[7].getInt(ops);
            if (opcode == OP_ACCEPT) {
                if (ACCEPT_POLL_FIRST != 0) {
                    ioPrio = (short) ((ioPrio & ~ACCEPT_MULTISHOT) | ACCEPT_POLL_FIRST);
                }
                union3 |= ACCEPT_FLAGS;
            } else if (opcode == OP_POLL_ADD && (union3 & POLLIN) != 0 && (len & POLL_ADD_MULTI) != 0) {
                len &= ~POLL_ADD_MULTI;
            } else {
                return ops;
            }
            return new IoUringIoOps(opcode, f[1].getByte(ops), ioPrio, f[3].getInt(ops), f[4].getLong(ops),
                    f[5].getLong(ops), len, union3, f[8].getLong(ops), f[9].getShort(ops), f[10].getShort(ops),
                    f[11].getInt(ops), f[12].getLong(ops));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
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
            h.keptHere--;
            h.deliver(registration, event);
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

    /**
     * A channel's handle: its completions go through the snapshot rule, and a POLLOUT poll that ends without
     * POLLOUT is told to Netty as writability.
     *
     * <p>io_uring adds POLLERR, POLLHUP and POLLRDHUP to every poll. A socket whose peer has shut its side
     * down (POLLRDHUP, for good) or that was reset (POLLERR/POLLHUP) therefore ends every POLLOUT poll at
     * once, whether it can be written or not; Netty 4.2.18 looks only for POLLOUT in the result and then never
     * writes that channel again: every queued write hangs (found by {@code HalfCloseTest
     * .writesThatMustWaitAfterThePeersFinAllSucceed} and {@code PeerResetTest}). Here such a completion carries
     * POLLOUT too, so Netty writes again: after a reset the write fails with the socket's error, as it
     * should. After the peer's FIN a write that must wait would fail with EAGAIN and poll again at once, a
     * busy loop; so the socket is first made blocking, as Netty's own accepted sockets are, and io_uring then
     * waits for room in its own worker. pyuv4j's direct writes and {@code try_write} need a non-blocking
     * socket: that channel is marked ({@link IoUringChannels#BLOCKING}) and uses Netty's asynchronous writes
     * from then on.
     */
    private final class Handle implements IoUringIoHandle {
        final IoUringIoHandle target;
        private boolean pollOutArmed;
        private long pollOutData;
        private int pollOutFd = -1;
        /** How many of {@link #kept} are this handle's. */
        int keptHere;

        Handle(IoUringIoHandle target) {
            this.target = target;
        }

        void submitted(IoUringIoOps ops) {
            try {
                Field[] f = OPS_FIELDS;
                if (f[0].getByte(ops) == OP_POLL_ADD && (f[7].getInt(ops) & POLLOUT) != 0) {
                    pollOutArmed = true;
                    pollOutData = f[8].getLong(ops);
                    pollOutFd = f[3].getInt(ops);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (!kept.isEmpty() || behindSnapshot()) {
                IoUringIoEvent e = (IoUringIoEvent) event; // Netty reuses its event object: copy it
                kept.add(this);
                kept.add(registration);
                kept.add(new IoUringIoEvent(e.res(), e.flags(), e.opcode(), e.userData()));
                keptHere++;
                return;
            }
            deliver(registration, event);
        }

        void deliver(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            if (pollOutArmed && e.opcode() == OP_POLL_ADD && e.userData() == pollOutData) {
                pollOutArmed = false;
                int res = e.res();
                if (res >= 0 && (res & POLLOUT) == 0) {
                    if ((res & (POLLERR | POLLHUP)) == 0) {
                        IoUringChannels.makeBlocking(target, pollOutFd);
                    }
                    event = new IoUringIoEvent(res | POLLOUT, e.flags(), e.opcode(), e.userData());
                }
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
            if (keptHere > 0) {
                ArrayDeque<Object> rest = new ArrayDeque<>(kept.size());
                while (!kept.isEmpty()) {
                    Object h = kept.poll();
                    IoRegistration r = (IoRegistration) kept.poll();
                    IoEvent ev = (IoEvent) kept.poll();
                    if (h == this) {
                        keptHere--;
                        deliver(r, ev);
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
