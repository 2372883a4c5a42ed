package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.EmfileReserve;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * A duplex byte stream ({@code pyuv.Stream}), the base of {@link TCP}: reading, writing, shutdown,
 * and accepting connections when listening. Errors raised by its methods are of the concrete
 * handle's type ({@link org.pyuv4j.error.TCPError} for TCP).
 *
 * <p>Callbacks never run from inside the call that caused them. Write callbacks run in FIFO order
 * in the loop's pending phase; {@code close()} completes a pending connect, then the unfinished
 * writes (FIFO), then a pending shutdown, all with {@link Errno#UV_ECANCELED}, before the close
 * callback.
 *
 * @param <H> the concrete stream type
 */
public abstract class Stream<H extends Stream<H>> extends Handle<H> {
    private static final Object EOF = new Object();

    /** The socket: a stream channel, a listening server channel, or null when there is none yet. */
    Channel channel;
    boolean registered;
    /** The stream channel has a peer (accepted, opened connected, or connect succeeded). */
    boolean connected;
    boolean readable;
    boolean writable;
    private final Events events = new Events();

    // reading
    private ReadCallback<H> readCallback;
    private BufReadCallback<H> bufReadCallback;
    boolean reading;
    /** 0 while the read side is open; UV_EOF or an errno once the end was seen. */
    private int readEnd;
    private boolean inEndCallback;
    /** A socket error Netty read while we were not reading, not yet reported by a write or a read. */
    private int unreadSocketError;
    /** A socket error (ECONNRESET...) was reported by a write: later writes see EPIPE, as write(2) does. */
    private boolean socketErrorReported;
    /** A socket error Netty's flush took while we were reading: the read reports it instead of EOF. */
    private int readErrorTakenByWrite;
    /** Data, EOF or errors that arrived when they could not be delivered; in order. */
    private ArrayDeque<Object> parked;

    // writing
    /** Write requests whose callback has not run, FIFO (an intrusive list through WriteReq.next). */
    private WriteReq writesHead;
    private WriteReq writesTail;
    /** Inside this stream's channelRead: writes from the read callback are flushed at the batch end. */
    private boolean inNettyRead;
    private boolean flushPending;
    long writeQueueSize;

    // shutdown
    private boolean shutdownRequested;
    private boolean shutDown;
    private StatusCallback<H> shutdownCallback;

    // connect (started by subclasses)
    StatusCallback<H> connectCallback;

    // listening
    boolean listening;
    private StatusCallback<H> connectionCallback;
    /** libuv's accepted_fd: the connection offered to the listen callback, waiting for accept(). */
    private Channel offered;
    private ArrayDeque<Channel> incoming;
    private Runnable offerTask;

    // Work for the loop's pending phase (libuv's uv__io_feed): one task per stream, these bits say what.
    private static final int FEED_WRITES = 1;
    private static final int FEED_DRAIN = 2;
    private static final int FEED_PARKED = 4;
    private int fed;
    private final Runnable pendingTask = this::runPending;

    Stream(Loop loop) {
        super(loop);
    }

    // ================================================================= listen / accept

    /**
     * {@code listen(callback, 511)}.
     *
     * @param callback called with {@code (server, null)} for each incoming connection
     */
    public void listen(StatusCallback<H> callback) {
        listen(callback, 511);
    }

    /**
     * Starts listening. {@code callback(server, null)} announces one pending connection, to be
     * taken with {@link #accept(Stream)}; until it is, no further connection is announced.
     * {@code callback(server, errno)} reports a failed accept. Calling it again while listening
     * replaces the callback.
     *
     * @param callback the connection callback
     * @param backlog  listen(2) backlog, 0 or more
     * @throws IllegalArgumentException "backlog must be bigger than 0" for a negative backlog
     */
    public void listen(StatusCallback<H> callback, int backlog) {
        loop.checkThread();
        checkNotClosed();
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be bigger than 0");
        }
        Objects.requireNonNull(callback, "callback");
        if (!listening) {
            EmfileReserve.ensure();
            startListening(backlog);
            listening = true;
            attach(channel);
            ensureRegistered();
            channel.config().setAutoRead(true);
            activate();
        }
        connectionCallback = callback;
    }

    /** Socket part of listen: leaves {@link #channel} a listening, unregistered server channel. */
    abstract void startListening(int backlog);

    /**
     * Accepts the connection announced by the listen callback into {@code client}, which becomes
     * readable and writable (but not reading).
     *
     * @param client a stream with no socket yet
     * @throws org.pyuv4j.error.StreamError {@code UV_EAGAIN} when no connection is pending;
     *         {@code UV_EBUSY} when {@code client} already has a socket (the connection is then lost)
     */
    public void accept(Stream<?> client) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(client, "client");
        if (client.loop != loop) {
            throw new IllegalArgumentException("client belongs to another loop");
        }
        client.checkNotClosed();
        Channel child = offered;
        if (child == null) {
            throw error(Errno.UV_EAGAIN);
        }
        offered = null;
        resumeAccepting();
        if (client.channel != null) {
            forceClose(child);
            throw error(Errno.UV_EBUSY);
        }
        client.adoptAccepted(child, this);
    }

    /** Takes over a connection accepted by {@code server} (libuv uv__stream_open with READABLE|WRITABLE). */
    void adoptAccepted(Channel child, Stream<?> server) {
        channel = child;
        connected = true;
        readable = true;
        writable = true;
        attach(child);
        ensureRegistered();
    }

    private void onIncoming(Channel child) {
        EmfileReserve.ensure();
        if (closing() || !listening) {
            forceClose(child);
            return;
        }
        if (incoming == null) {
            incoming = new ArrayDeque<>(4);
        }
        incoming.add(child);
        if (offered == null && loop.canCallNow()) {
            offerConnections();
            return;
        }
        channel.config().setAutoRead(false);
        if (offered == null) {
            loop.feed(offerTask());
        }
    }

    /** Announces queued connections one at a time while the callback keeps accepting them. */
    private void offerConnections() {
        while (offered == null && incoming != null && !incoming.isEmpty() && listening && !closing()) {
            offered = incoming.poll();
            loop.invoke(connectionCallback, self(), null);
        }
        if (listening && !closing()) {
            // libuv stops polling the listen socket while a connection waits for accept().
            channel.config().setAutoRead(offered == null);
        }
    }

    private void resumeAccepting() {
        if (incoming != null && !incoming.isEmpty()) {
            loop.post(offerTask()); // this poll phase, or the next if offering already runs
        } else if (listening) {
            channel.config().setAutoRead(true);
        }
    }

    private void onAcceptError(Throwable cause) {
        int err = ErrnoMapper.errno(cause);
        if (err == Errno.UV_ECONNABORTED || err == Errno.UV_EAGAIN || closing() || !listening) {
            return;
        }
        if (err == Errno.UV_EMFILE || err == Errno.UV_ENFILE) {
            // libuv's uv__emfile_trick: shed the backlog; the callback hears of it only if that fails.
            ServerChannel server = (ServerChannel) channel;
            err = EmfileReserve.shedBacklog(() -> loop.transport().acceptAndCloseAll(server));
            if (err == 0) {
                return;
            }
        }
        Integer error = err;
        if (loop.canCallNow()) {
            loop.invoke(connectionCallback, self(), error);
        } else {
            loop.feed(() -> {
                if (listening && !closing()) {
                    loop.invoke(connectionCallback, self(), error);
                }
            });
        }
    }

    // ================================================================= reading

    /**
     * Starts reading: {@code callback(stream, data, null)} for each chunk (1 to 65536 bytes),
     * {@code (stream, null, UV_EOF)} at end of stream, {@code (stream, null, errno)} on error.
     * Reading stops before an EOF or error callback. Replaces the callback when already reading.
     *
     * @param callback the read callback
     * @throws org.pyuv4j.error.StreamError {@code UV_ENOTCONN} when the handle has no socket
     */
    public void startRead(ReadCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(callback, "callback");
        requireSocketForRead();
        readCallback = callback;
        bufReadCallback = null;
        startReading();
    }

    /**
     * Like {@link #startRead} without the copy: the callback gets the transport's buffer, valid
     * during the call only (see {@link BufReadCallback} for ownership).
     *
     * @param callback the read callback
     * @throws org.pyuv4j.error.StreamError {@code UV_ENOTCONN} when the handle has no socket
     */
    public void startReadBuf(BufReadCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(callback, "callback");
        requireSocketForRead();
        bufReadCallback = callback;
        readCallback = null;
        startReading();
    }

    private void requireSocketForRead() {
        if (channel == null) {
            // pyuv's libuv aborts the process here; modern libuv says ENOTCONN.
            throw error(Errno.UV_ENOTCONN);
        }
    }

    private void startReading() {
        reading = true;
        activate();
        if (inEndCallback) {
            return; // decided when the EOF/error callback returns
        }
        if (parked != null && !parked.isEmpty()) {
            feedParked();
        } else if (readEnd != 0) {
            // libuv reads again and finds the end again: EOF on the next iteration.
            park(EOF);
        } else if (connected) {
            channel.config().setAutoRead(true);
        } else if (!connecting() && !listening) {
            // A socket with no peer: read(2) says ENOTCONN.
            readEnd = Errno.UV_ENOTCONN;
            park(Errno.UV_ENOTCONN);
        }
    }

    /**
     * Stops reading; does nothing when not reading.
     */
    public void stopRead() {
        loop.checkThread();
        checkNotClosed();
        if (!reading) {
            return;
        }
        stopReading(true);
    }

    /**
     * uv_read_stop. {@code pauseSocket} is false at EOF or a read error, when Netty reads no more
     * anyway: turning auto-read off would cost a system call for nothing.
     */
    private void stopReading(boolean pauseSocket) {
        reading = false;
        readCallback = null;
        bufReadCallback = null;
        if (!listening) {
            deactivate();
        }
        if (pauseSocket && connected && channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /** Reads land in the loop's shared buffer unless the callee may keep them (startReadBuf). */
    boolean zeroCopyReads() {
        return bufReadCallback != null;
    }

    private void onData(ByteBuf buf) {
        if (closing()) {
            buf.release();
            return;
        }
        if (!reading || !loop.canCallNow() || (parked != null && !parked.isEmpty())) {
            if (loop.isReadSlab(buf)) {
                park(copyOut(buf)); // the shared read buffer must be free for the next read
            } else {
                park(buf);
            }
            return;
        }
        deliverData(buf);
    }

    private static byte[] copyOut(ByteBuf buf) {
        byte[] data = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), data);
        buf.release();
        return data;
    }

    private void deliverData(ByteBuf buf) {
        BufReadCallback<H> bcb = bufReadCallback;
        if (bcb != null) {
            try {
                loop.invoke(bcb, self(), buf, null);
            } finally {
                buf.release();
            }
        } else {
            loop.invoke(readCallback, self(), copyOut(buf), null);
        }
    }

    /** Delivers bytes that were parked as an array (copied out of the shared read buffer). */
    private void deliverBytes(byte[] data) {
        if (bufReadCallback != null) {
            deliverData(Unpooled.wrappedBuffer(data));
        } else {
            loop.invoke(readCallback, self(), data, null);
        }
    }

    private void onReadEnd(int err) {
        if (closing() || readEnd != 0) {
            return; // Netty follows a read error with an input-shutdown event: report the first only
        }
        boolean takenByWrite = err == Errno.UV_EOF && readErrorTakenByWrite != 0;
        if (takenByWrite) {
            err = readErrorTakenByWrite; // see writeError
            readErrorTakenByWrite = 0;
        }
        readEnd = err;
        Object marker = err == Errno.UV_EOF ? EOF : (Object) err;
        if (!reading || !loop.canCallNow() || (parked != null && !parked.isEmpty())) {
            if (!reading && err != Errno.UV_EOF && !takenByWrite) {
                // Netty read the socket error although we were not reading; libuv would have left it
                // in the socket for the next write(2) to report.
                unreadSocketError = err;
            }
            park(marker);
            return;
        }
        deliverEnd(err);
    }

    /** EOF or error: reading stops before the callback (pyuv), and a restart inside it is undone (libuv 1.13). */
    private void deliverEnd(int err) {
        ReadCallback<H> cb = readCallback;
        BufReadCallback<H> bcb = bufReadCallback;
        stopReading(false);
        inEndCallback = true;
        try {
            if (bcb != null) {
                loop.invoke(bcb, self(), null, err);
            } else if (cb != null) {
                loop.invoke(cb, self(), null, err);
            }
        } finally {
            inEndCallback = false;
        }
        if (reading && !closing()) {
            // Restarted from inside the callback. libuv clears its READING flag after an EOF
            // callback but leaves the handle active (it then never reads again); after an error
            // callback it stops the handle too.
            reading = false;
            if (err != Errno.UV_EOF && !listening) {
                deactivate();
            }
        }
    }

    private void park(Object item) {
        if (parked == null) {
            parked = new ArrayDeque<>(4);
        }
        parked.add(item);
        if (reading) {
            feedParked();
        }
    }

    private void feedParked() {
        feed(FEED_PARKED);
    }

    private void deliverParked() {
        if (reading) {
            unreadSocketError = 0;
        }
        while (reading && !closing() && parked != null && !parked.isEmpty()) {
            Object item = parked.poll();
            if (item instanceof ByteBuf) {
                deliverData((ByteBuf) item);
            } else if (item instanceof byte[]) {
                deliverBytes((byte[]) item);
            } else {
                deliverEnd(item == EOF ? Errno.UV_EOF : (Integer) item);
            }
        }
        if (reading && !closing() && connected && readEnd == 0) {
            channel.config().setAutoRead(true);
        }
    }

    // ================================================================= writing

    /**
     * {@code write(data, null)}.
     *
     * @param data the bytes; copied, so the array may be reused at once
     */
    public void write(byte[] data) {
        write(data, null);
    }

    /**
     * Queues {@code data} for writing. Writes go out in call order; {@code callback(stream, error)}
     * runs once the bytes were handed to the kernel (or failed), never from inside this call.
     *
     * @param data     the bytes; copied, so the array may be reused at once (may be empty)
     * @param callback called when done, or {@code null}
     * @throws org.pyuv4j.error.StreamError {@code UV_EBADF} when the handle has no socket
     */
    public void write(byte[] data, StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        requireSocketForWrite();
        enqueue(copy(data, 0, data.length), callback);
    }

    /**
     * {@code write(data, null)}.
     *
     * @param data the bytes between position and limit; copied, the buffer is not modified
     */
    public void write(ByteBuffer data) {
        write(data, null);
    }

    /**
     * Like {@link #write(byte[], StatusCallback)} for the bytes between the buffer's position and
     * limit; the buffer's position is not changed.
     *
     * @param data     the bytes
     * @param callback called when done, or {@code null}
     */
    public void write(ByteBuffer data, StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        requireSocketForWrite();
        ByteBuf buf = channel.alloc().directBuffer(data.remaining());
        buf.writeBytes(data.duplicate());
        enqueue(buf, callback);
    }

    /**
     * {@code write(data, null)}.
     *
     * @param data the bytes; ownership passes to the stream on success
     */
    public void write(ByteBuf data) {
        write(data, null);
    }

    /**
     * Zero-copy write of a Netty buffer.
     *
     * <p><b>Buffer ownership:</b> when this method returns normally the stream owns {@code data}
     * and releases it once written or failed. When it throws, the caller still owns it.
     *
     * @param data     the readable bytes of this buffer are written
     * @param callback called when done, or {@code null}
     */
    public void write(ByteBuf data, StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        requireSocketForWrite();
        enqueue(data, callback);
    }

    /**
     * {@code write(data, null)}.
     *
     * @param data the buffers, written as one request
     */
    public void write(List<byte[]> data) {
        write(data, null);
    }

    /**
     * Writes several buffers as one request with one callback (pyuv's write of a sequence).
     * Validated before anything is written.
     *
     * @param data     the buffers, copied
     * @param callback called when done, or {@code null}
     * @throws IllegalArgumentException "iterable is empty" for an empty list
     * @throws NullPointerException     if the list or an element is null
     */
    public void write(List<byte[]> data, StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        if (data.isEmpty()) {
            throw new IllegalArgumentException("iterable is empty");
        }
        long total = 0;
        for (byte[] b : data) {
            Objects.requireNonNull(b, "data element");
            total += b.length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("data too large: " + total + " bytes");
        }
        requireSocketForWrite();
        ByteBuf buf = total == 0 ? Unpooled.EMPTY_BUFFER : channel.alloc().directBuffer((int) total);
        for (byte[] b : data) {
            buf.writeBytes(b);
        }
        enqueue(buf, callback);
    }

    private ByteBuf copy(byte[] data, int offset, int length) {
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf buf = channel.alloc().directBuffer(length);
        buf.writeBytes(data, offset, length);
        return buf;
    }

    private void requireSocketForWrite() {
        if (channel == null) {
            throw error(Errno.UV_EBADF);
        }
    }

    /** libuv uv_write2: account, queue, and write now when the stream is connected. */
    private void enqueue(ByteBuf buf, StatusCallback<H> callback) {
        WriteReq req = new WriteReq(this, channel, loop.io, callback, buf.readableBytes());
        if (writesTail == null) {
            writesHead = req;
        } else {
            writesTail.next = req;
        }
        writesTail = req;
        writeQueueSize += req.size;
        loop.activeReqs++;
        if (connecting()) {
            req.held = buf;
        } else if (!connected || channel instanceof ServerChannel) {
            // write(2) on a socket with no peer fails with EPIPE, reported in the callback.
            buf.release();
            req.error = Errno.UV_EPIPE;
            req.done = true;
            writeCompleted();
        } else if (inNettyRead) {
            // Written from this stream's own read callback: flush once at the end of Netty's read
            // batch (channelReadComplete) rather than once per write, as Netty handlers do. Anything
            // that could observe the difference (getWriteQueueSize, tryWrite, shutdown, close)
            // flushes first.
            channel.write(buf, req);
            flushPending = true;
        } else {
            channel.writeAndFlush(buf, req);
        }
    }

    /** Hands writes held back during a read batch to the kernel now. */
    final void flushPending() {
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    private WriteReq pollWrite() {
        WriteReq req = writesHead;
        if (req != null) {
            writesHead = req.next;
            if (writesHead == null) {
                writesTail = null;
            }
            req.next = null;
        }
        return req;
    }

    private void feed(int what) {
        if (fed == 0) {
            loop.feed(pendingTask);
        }
        fed |= what;
    }

    /** The pending phase for this stream: finished writes' callbacks, a deferred shutdown, parked reads. */
    private void runPending() {
        int what = fed;
        fed = 0;
        if ((what & FEED_WRITES) != 0) {
            runWriteCallbacks();
        } else if ((what & FEED_DRAIN) != 0) {
            drain();
        }
        if ((what & FEED_PARKED) != 0 && !closing()) {
            deliverParked();
        }
    }

    private Runnable offerTask() {
        if (offerTask == null) {
            offerTask = this::offerConnections;
        }
        return offerTask;
    }

    /** Hands writes queued while connecting to Netty, in order. */
    void flushHeldWrites() {
        boolean any = false;
        for (WriteReq req = writesHead; req != null; req = req.next) {
            if (req.held != null) {
                ByteBuf buf = req.held;
                req.held = null;
                channel.write(buf, req);
                any = true;
            }
        }
        if (any) {
            channel.flush(); // one gathering write for everything queued while connecting
        }
    }

    /** Completes writes queued while connecting with ECANCELED (after a failed connect). */
    void cancelHeldWrites() {
        for (WriteReq req = writesHead; req != null; req = req.next) {
            if (req.held != null) {
                req.held.release();
                req.held = null;
                req.error = Errno.UV_ECANCELED;
                req.done = true;
            }
        }
    }

    /** The errno a failed write reports, given the stream's state. */
    int writeError(Throwable cause) {
        if (closing()) {
            return Errno.UV_ECANCELED;
        }
        int err = ErrnoMapper.errno(cause);
        if (unreadSocketError != 0) {
            // write(2) reports the pending socket error (ECONNRESET) first; a later read then sees EOF.
            err = unreadSocketError;
            unreadSocketError = 0;
            if (parked != null && parked.remove(err)) {
                parked.add(EOF);
            }
            socketErrorReported = true;
            return err;
        }
        if (shutDown || err == Errno.UV_EBADF || socketErrorReported) {
            // The write side is gone: shutdown(), Netty shut it after an error, or the kernel already
            // reported the socket error once (it does so to one system call; later write(2)s get EPIPE,
            // while Netty fails every queued write with the first error).
            return Errno.UV_EPIPE;
        }
        if (isSocketError(err)) {
            socketErrorReported = true;
            if (reading && readEnd == 0) {
                // libuv reads before it writes on one poll event, so read(2) takes the socket error
                // (read callback: ECONNRESET) and write(2) gets EPIPE. Netty flushes first and then
                // reads EOF: hand the error back to the read side (onReadEnd).
                readErrorTakenByWrite = err;
                return Errno.UV_EPIPE;
            }
        }
        return err;
    }

    /** Errors the kernel keeps in the socket (sk_err) and reports to the next system call only. */
    private static boolean isSocketError(int err) {
        return err == Errno.UV_ECONNRESET || err == Errno.UV_ETIMEDOUT || err == Errno.UV_EHOSTUNREACH
                || err == Errno.UV_ENETUNREACH || err == Errno.UV_ECONNABORTED;
    }

    void writeCompleted() {
        if (!closing()) {
            feed(FEED_WRITES);
        }
    }

    /** Pending phase: callbacks of finished writes, in order, then a deferred shutdown (uv__stream_io). */
    void runWriteCallbacks() {
        if (closing()) {
            return; // the closing phase reports them
        }
        WriteReq req;
        while ((req = writesHead) != null && req.done) {
            pollWrite();
            finishWrite(req, req.error);
            if (closing()) {
                return;
            }
        }
        drain();
    }

    @SuppressWarnings("unchecked")
    private void finishWrite(WriteReq req, Integer error) {
        loop.activeReqs--;
        writeQueueSize -= req.size - req.written;
        req.written = req.size;
        if (req.callback != null) {
            loop.invoke((StatusCallback<H>) req.callback, self(), error);
        }
    }

    /**
     * Writes without queueing (pyuv's {@code try_write}).
     *
     * @param data the bytes
     * @return how many bytes the kernel took (possibly fewer than {@code data.length})
     * @throws org.pyuv4j.error.StreamError {@code UV_EAGAIN} when nothing can be written now, while
     *         connecting, or while writes are queued; {@code UV_EBADF} when there is no socket
     */
    public int tryWrite(byte[] data) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        return tryWrite(Unpooled.wrappedBuffer(data));
    }

    /**
     * Like {@link #tryWrite(byte[])} for the bytes between position and limit; the position is not changed.
     *
     * @param data the bytes
     * @return how many bytes the kernel took
     */
    public int tryWrite(ByteBuffer data) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(data, "data");
        return tryWrite(Unpooled.wrappedBuffer(data.duplicate()));
    }

    private int tryWrite(ByteBuf data) {
        if (channel == null) {
            throw error(Errno.UV_EBADF);
        }
        flushPending();
        if (connecting() || writeQueueSize != 0) {
            throw error(Errno.UV_EAGAIN);
        }
        int length = data.readableBytes();
        if (length == 0) {
            return 0;
        }
        ChannelOutboundBuffer pendingInNetty = connected ? channel.unsafe().outboundBuffer() : null;
        if (pendingInNetty == null || pendingInNetty.totalPendingWriteBytes() != 0) {
            // No peer, output shut down, or bytes still in Netty: libuv 1.13 answers EAGAIN to all.
            throw error(Errno.UV_EAGAIN);
        }
        ByteBuf direct = channel.alloc().directBuffer(length);
        try {
            direct.writeBytes(data);
            int n = loop.transport().tryWrite(channel, direct);
            if (n <= 0) {
                throw error(Errno.UV_EAGAIN);
            }
            return n;
        } catch (IOException e) {
            throw error(Errno.UV_EAGAIN);
        } finally {
            direct.release();
        }
    }

    /**
     * @return bytes queued by {@code write()} and not yet handed to the kernel
     */
    public long getWriteQueueSize() {
        loop.checkThread();
        flushPending();
        return writeQueueSize;
    }

    // ================================================================= shutdown

    /**
     * {@code shutdown(null)}.
     */
    public void shutdown() {
        shutdown(null);
    }

    /**
     * Shuts down the write side once all queued writes are written; {@code callback(stream, error)}
     * follows. Reading goes on (half-close); later writes fail with {@link Errno#UV_EPIPE}.
     *
     * @param callback called when done, or {@code null}
     * @throws org.pyuv4j.error.StreamError {@code UV_ENOTCONN} when the stream is not writable or a
     *         shutdown was already requested
     */
    public void shutdown(StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        if (!writable || shutDown || shutdownRequested) {
            throw error(Errno.UV_ENOTCONN);
        }
        flushPending();
        shutdownRequested = true;
        shutdownCallback = callback;
        loop.activeReqs++;
        if (!connecting() && !listening && writesHead == null) {
            feed(FEED_DRAIN);
        }
    }

    /** libuv's uv__drain: once the write queue is empty, shutdown(2) and the callback. */
    void drain() {
        if (!shutdownRequested || closing() || shutDown || writesHead != null || connecting() || listening) {
            return;
        }
        StatusCallback<H> cb = shutdownCallback;
        shutdownCallback = null;
        shutdownRequested = false;
        loop.activeReqs--;
        int err = shutdownOutput();
        if (err == 0) {
            shutDown = true;
        }
        if (cb != null) {
            loop.invoke(cb, self(), err == 0 ? null : err);
        }
    }

    private int shutdownOutput() {
        if (!connected || !(channel instanceof DuplexChannel)) {
            return Errno.UV_ENOTCONN;
        }
        ChannelFuture f = ((DuplexChannel) channel).shutdownOutput();
        if (!f.isDone()) {
            return 0; // not on the loop thread yet (cannot happen once the loop runs)
        }
        return f.isSuccess() ? 0 : ErrnoMapper.errno(f.cause());
    }

    // ================================================================= properties

    /**
     * pyuv's {@code readable}: a libuv flag set by bind, listen, connect, accept and open; not
     * cleared by EOF, errors or close (see pyuv-spec §3.6).
     *
     * @return the flag
     */
    public boolean isReadable() {
        loop.checkThread();
        return readable;
    }

    /**
     * pyuv's {@code writable}: a libuv flag set by bind, connect, accept and open; not cleared by
     * shutdown, EOF, errors or close.
     *
     * @return the flag
     */
    public boolean isWritable() {
        loop.checkThread();
        return writable;
    }

    /**
     * @return the OS socket descriptor
     * @throws org.pyuv4j.error.StreamError {@code UV_EBADF} when there is no socket;
     *         {@code UV_ENOTSUP} on the NIO transport, which hides descriptors
     */
    public int fileno() {
        loop.checkThread();
        checkNotClosed();
        try {
            return loop.transport().fileno(channel);
        } catch (UVError e) {
            throw error(e);
        }
    }

    // ================================================================= plumbing

    /** A connect request is pending: writes wait for it (libuv's connect_req). */
    final boolean connecting() {
        return connectCallback != null;
    }

    /** After a successful connect: hand queued writes to Netty, start reading, and a waiting shutdown. */
    void connectSucceeded() {
        connected = true;
        flushHeldWrites();
        if (reading) {
            channel.config().setAutoRead(true);
        }
    }

    /** After a connect callback: a shutdown requested meanwhile can proceed once writes drain. */
    void afterConnectCallback(boolean success) {
        if (closing()) {
            return;
        }
        if (!success) {
            // Queued writes are cancelled right after the connect callback, in the same phase.
            cancelHeldWrites();
            runWriteCallbacks();
            if (reading && !closing()) {
                onReadEnd(Errno.UV_ENOTCONN);
            }
        } else if (shutdownRequested && writesHead == null) {
            feed(FEED_DRAIN);
        }
    }

    /** Configures a channel for libuv semantics and installs the event handler (not registered yet). */
    void attach(Channel ch) {
        ChannelConfig c = ch.config();
        c.setAutoRead(false);
        if (!(ch instanceof ServerChannel)) {
            c.setAutoClose(false);
            c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            c.setRecvByteBufAllocator(new ReadAllocator(this));
            c.setConnectTimeoutMillis(0);
            configureSocket(ch);
        }
        ch.pipeline().addLast(events);
    }

    /** Applies stored per-socket options to a new stream channel. */
    abstract void configureSocket(Channel ch);

    void ensureRegistered() {
        if (!registered) {
            registered = true;
            loop.register(channel);
        }
    }

    static void forceClose(Channel ch) {
        if (ch.isRegistered()) {
            ch.close();
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    @Override
    void onClose() {
        reading = false;
        listening = false;
        if (channel != null) {
            flushPending(); // libuv wrote them inside write(); they must not turn into ECANCELED here
            if (registered) {
                channel.close();
            } else {
                channel.unsafe().closeForcibly();
            }
        }
        if (offered != null) {
            forceClose(offered);
            offered = null;
        }
        if (incoming != null) {
            for (Channel c : incoming) {
                forceClose(c);
            }
            incoming = null;
        }
        if (parked != null) {
            for (Object o : parked) {
                ReferenceCountUtil.release(o);
            }
            parked = null;
        }
        for (WriteReq req = writesHead; req != null; req = req.next) {
            if (req.held != null) {
                req.held.release();
                req.held = null;
            }
        }
    }

    /** libuv's uv__stream_destroy: connect, then writes (FIFO), then shutdown get ECANCELED. */
    @Override
    void onFinishClose() {
        StatusCallback<H> connectCb = connectCallback;
        if (connectCb != null) {
            connectCallback = null;
            loop.activeReqs--;
            loop.invoke(connectCb, self(), Errno.UV_ECANCELED);
        }
        WriteReq req;
        while ((req = pollWrite()) != null) {
            finishWrite(req, req.done ? req.error : Integer.valueOf(Errno.UV_ECANCELED));
        }
        writeQueueSize = 0;
        if (shutdownRequested) {
            StatusCallback<H> cb = shutdownCallback;
            shutdownRequested = false;
            shutdownCallback = null;
            loop.activeReqs--;
            if (cb != null) {
                loop.invoke(cb, self(), Errno.UV_ECANCELED);
            }
        }
    }

    /**
     * Netty's side of the stream: events in, translated to the handle's state machine. Sharable
     * because a socket may move from one channel to another (a bound socket becoming a listener).
     */
    @ChannelHandler.Sharable
    private final class Events extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                inNettyRead = true;
                try {
                    onData((ByteBuf) msg);
                } finally {
                    inNettyRead = false;
                }
            } else if (msg instanceof Channel) {
                onIncoming((Channel) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (flushPending && !closing()) {
                flushPending();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                onReadEnd(Errno.UV_EOF);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() instanceof ServerChannel) {
                onAcceptError(cause);
            } else {
                onReadEnd(ErrnoMapper.errno(cause));
            }
        }
    }
}
