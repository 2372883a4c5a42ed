package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * The write side of a {@link Stream}: its write requests in FIFO order (libuv's {@code write_queue}
 * and {@code write_completed_queue} in one list), {@code write_queue_size}, {@code try_write}, and the
 * shutdown that waits for the queue ({@code uv__drain}).
 *
 * <p>A request is handed to Netty at once when the stream is connected ({@code uv_write2} writes
 * inside the call), held while connecting, and completes when Netty reports its bytes handed to the
 * kernel or failed; its callback runs in the next pending phase, in FIFO order.
 *
 * <p>{@code write_queue_size} follows libuv 1.13's accounting. libuv subtracts bytes as {@code write(2)}
 * takes them, and a request that had to wait for writability is written one per writable event, so
 * the callback of a request sees the whole size of every request queued behind it. Netty instead
 * flushes every queued request on one writable event: a request queued behind others (libuv would
 * not have written it inside {@code write()}) keeps counting the bytes Netty already wrote of it until
 * the requests before it have had their callbacks ({@link #size()}).
 *
 * <p>Buffer ownership: a buffer given to {@link #enqueue} belongs to the queue (then to Netty).
 *
 * @param <H> the stream type
 */
final class WriteQueue<H extends Stream<H>> {
    private final Stream<H> stream;
    private final Loop loop;

    /** Requests whose callback has not run, FIFO (an intrusive list through WriteReq.next). */
    private WriteReq head;
    private WriteReq tail;
    /** Bytes not yet handed to the kernel, of every request. */
    long unwritten;
    /** Bytes Netty already wrote of requests that libuv would still hold (see the class comment). */
    long heldWritten;
    /** Bytes of writes made during this read batch, written at its end (see {@link #enqueue}). */
    private long batched;
    /** Inside this stream's channelRead: writes from the read callback are flushed at the batch end. */
    boolean inNettyRead;
    private boolean flushPending;
    /** A write callback of this stream is running. */
    private boolean inCallback;
    /** A socket error (ECONNRESET...) was reported by a write: later writes see EPIPE, as write(2) does. */
    private boolean socketErrorReported;

    private boolean shutdownRequested;
    boolean shutDown;
    private StatusCallback<H> shutdownCallback;

    WriteQueue(Stream<H> stream) {
        this.stream = stream;
        this.loop = stream.loop;
    }

    /**
     * libuv's {@code write_queue_size}: bytes of the requests not yet fully handed to the kernel, with
     * a request queued behind others counted whole until its turn (see the class comment).
     */
    long size() {
        flushPending();
        return libuvSize();
    }

    private long libuvSize() {
        long held = heldWritten;
        if (!inCallback && head != null && head.queued) {
            held -= head.written; // libuv is writing the first request: its written bytes are gone
        }
        return unwritten + held;
    }

    /** libuv uv_write2: account, queue, and write now when the stream is connected. */
    void enqueue(ByteBuf buf, StatusCallback<H> callback) {
        enqueue(buf, buf.readableBytes(), callback);
    }

    /**
     * Queues an object for the stream's pipeline ({@code writeMessage}): counted as its bytes when it
     * is a {@link ByteBuf} or {@link ByteBufHolder}, as 0 otherwise (its encoded size is not known
     * before the encoder runs).
     */
    void enqueueMessage(Object msg, StatusCallback<H> callback) {
        long size = msg instanceof ByteBuf b ? b.readableBytes()
                : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
        enqueue(msg, size, callback);
    }

    private void enqueue(Object buf, long size, StatusCallback<H> callback) {
        // libuv writes inside write() when its queue is empty and no connect is pending; otherwise the
        // request waits its turn. Bytes written later in this read batch would have been written by now.
        boolean queued = stream.connecting() || libuvSize() - batched != 0;
        WriteReq req = new WriteReq(this, stream.channel, loop.io, callback, size, queued);
        if (tail == null) {
            head = req;
        } else {
            tail.next = req;
        }
        tail = req;
        unwritten += req.size;
        loop.activeReqs++;
        if (stream.connecting()) {
            req.held = buf;
        } else if (!stream.connected || stream.channel instanceof ServerChannel) {
            // write(2) on a socket with no peer fails with EPIPE, reported in the callback.
            ReferenceCountUtil.release(buf);
            failEarly(req, Errno.UV_EPIPE);
        } else if (inNettyRead) {
            // Written from this stream's own read callback: flush once at the end of Netty's read
            // batch (channelReadComplete) rather than once per write, as Netty handlers do. Anything
            // that could observe the difference (getWriteQueueSize, tryWrite, shutdown, close)
            // flushes first.
            stream.channel.write(buf, req);
            flushPending = true;
            batched += req.size;
        } else {
            stream.channel.writeAndFlush(buf, req);
        }
    }

    /**
     * A direct buffer for a copying write, or null when there is none to be had: the write then
     * fails with {@code UV_ENOBUFS} in its callback, as libuv reports a failed allocation.
     */
    ByteBuf allocate(int length, StatusCallback<H> callback) {
        try {
            return stream.channel.alloc().directBuffer(length);
        } catch (OutOfMemoryError e) {
            enqueueFailed(Errno.UV_ENOBUFS, callback);
            return null;
        }
    }

    /** A request that fails before it reaches Netty (no peer, no buffer). */
    void enqueueFailed(int errno, StatusCallback<H> callback) {
        WriteReq req = new WriteReq(this, stream.channel, loop.io, callback, 0, false);
        if (tail == null) {
            head = req;
        } else {
            tail.next = req;
        }
        tail = req;
        loop.activeReqs++;
        failEarly(req, errno);
    }

    private void failEarly(WriteReq req, int errno) {
        req.error = errno;
        req.done = true;
        if (!stream.closing()) {
            stream.feed(Stream.FEED_WRITES);
        }
    }

    /** Hands writes held back during a read batch to the kernel now. */
    void flushPending() {
        if (flushPending) {
            flushPending = false;
            batched = 0;
            stream.channel.flush();
        }
    }

    /** Netty wrote {@code delta} more bytes of {@code req}. */
    void progressed(WriteReq req, long delta) {
        unwritten -= delta;
        if (req.queued) {
            heldWritten += delta;
        }
    }

    /** Netty finished {@code req} ({@code cause} null) or failed it; its callback runs in the pending phase. */
    void completed(WriteReq req, Throwable cause) {
        if (cause == null) {
            progressed(req, req.size - req.written);
            req.written = req.size;
        } else {
            // Unwritten bytes stay counted until the callback runs, as libuv (a signal to stop writing).
            req.error = req.cancelled ? Integer.valueOf(Errno.UV_ECANCELED) : errorFor(cause);
        }
        req.done = true;
        if (!stream.closing()) {
            stream.feed(Stream.FEED_WRITES);
        }
    }

    /** Hands writes queued while connecting to Netty, in order, in one flush. */
    void connected() {
        boolean any = false;
        for (WriteReq req = head; req != null; req = req.next) {
            if (req.held != null) {
                Object buf = req.held;
                req.held = null;
                stream.channel.write(buf, req);
                any = true;
            }
        }
        if (any) {
            stream.channel.flush(); // one gathering write for everything queued while connecting
        }
    }

    /** After a failed connect: writes queued while connecting get ECANCELED, right after the connect callback. */
    void connectFailed() {
        for (WriteReq req = head; req != null; req = req.next) {
            if (req.held != null) {
                ReferenceCountUtil.release(req.held);
                req.held = null;
                req.error = Errno.UV_ECANCELED;
                req.done = true;
            }
        }
        runCallbacks();
    }

    /**
     * A TLS handshake failed: the writes not finished yet were made for the TLS stream and are cancelled
     * (UV_ECANCELED, as the writes queued behind a failed connect).
     */
    void cancelPending() {
        for (WriteReq req = head; req != null; req = req.next) {
            if (!req.done) {
                req.cancelled = true;
            }
        }
    }

    /** The stream's TLS layer (TCP.startTls), or null. */
    private TcpTls tls() {
        return stream instanceof TCP t ? t.tls : null;
    }

    /** The errno a failed write reports, given the stream's state. */
    private int errorFor(Throwable cause) {
        if (stream.closing()) {
            return Errno.UV_ECANCELED;
        }
        if (tls() != null && TcpTls.closedByTls(cause)) {
            return Errno.UV_EPIPE; // the TLS layer's write side is closed (close_notify sent or engine closed)
        }
        int err = ErrnoMapper.errno(cause);
        int unread = stream.reader.takeUnreadSocketError();
        if (unread != 0) {
            // write(2) reports the pending socket error (ECONNRESET) first; a later read then sees EOF.
            socketErrorReported = true;
            return unread;
        }
        if (shutDown || err == Errno.UV_EBADF || socketErrorReported) {
            // The write side is gone: shutdown(), Netty shut it after an error, or the kernel already
            // reported the socket error once (it does so to one system call; later write(2)s get EPIPE,
            // while Netty fails every queued write with the first error).
            return Errno.UV_EPIPE;
        }
        if (isSocketError(err)) {
            socketErrorReported = true;
            if (stream.reader.takeOverSocketError(err)) {
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

    /** Pending phase: callbacks of finished writes, in order, then a deferred shutdown (uv__stream_io). */
    void runCallbacks() {
        if (stream.closing()) {
            return; // the closing phase reports them
        }
        WriteReq req;
        while ((req = head) != null && req.done) {
            poll();
            finish(req, req.error);
            if (stream.closing()) {
                return;
            }
        }
        drain();
    }

    @SuppressWarnings("unchecked")
    private void finish(WriteReq req, Integer error) {
        loop.activeReqs--;
        unwritten -= req.size - req.written;
        req.written = req.size;
        if (req.callback != null) {
            inCallback = true;
            try {
                loop.callbacks.invoke((StatusCallback<H>) req.callback, stream.self(), error);
            } finally {
                inCallback = false;
            }
        }
    }

    private WriteReq poll() {
        WriteReq req = head;
        if (req != null) {
            head = req.next;
            if (head == null) {
                tail = null;
            }
            req.next = null;
            if (req.queued) {
                heldWritten -= req.written;
            }
        }
        return req;
    }

    /**
     * pyuv's {@code try_write}: write without queueing.
     *
     * @return bytes the kernel took, at least 1
     * @throws org.pyuv4j.error.UVError of the stream's type: EAGAIN, EBADF
     */
    int tryWrite(ByteBuf data) {
        if (stream.channel == null) {
            throw stream.error(Errno.UV_EBADF);
        }
        if (stream.connecting() || size() != 0 || tls() != null) {
            // On a TLS stream the bytes must be encrypted in order with the queued records: libuv allows
            // try_write to answer EAGAIN at any time, and a TLS stream always does (docs/TLS.md).
            throw stream.error(Errno.UV_EAGAIN);
        }
        int length = data.readableBytes();
        if (length == 0) {
            return 0;
        }
        ChannelOutboundBuffer pendingInNetty = stream.connected ? stream.channel.unsafe().outboundBuffer() : null;
        if (pendingInNetty == null || pendingInNetty.totalPendingWriteBytes() != 0) {
            // No peer, output shut down, or bytes still in Netty: libuv 1.13 answers EAGAIN to all.
            throw stream.error(Errno.UV_EAGAIN);
        }
        ByteBuf direct;
        try {
            direct = stream.channel.alloc().directBuffer(length);
        } catch (OutOfMemoryError e) {
            throw stream.error(Errno.UV_ENOBUFS);
        }
        try {
            direct.writeBytes(data);
            int n = loop.transport().tryWrite(stream.channel, direct);
            if (n <= 0) {
                throw stream.error(Errno.UV_EAGAIN);
            }
            return n;
        } catch (IOException e) {
            throw stream.error(Errno.UV_EAGAIN);
        } finally {
            direct.release();
        }
    }

    // ================================================================= shutdown

    /** uv_shutdown: waits for the queue, then shutdown(2) and the callback. */
    void shutdown(StatusCallback<H> callback) {
        if (!stream.writable || shutDown || shutdownRequested) {
            throw stream.error(Errno.UV_ENOTCONN);
        }
        flushPending();
        shutdownRequested = true;
        shutdownCallback = callback;
        loop.activeReqs++;
        if (!stream.connecting() && !stream.listening && head == null) {
            stream.feed(Stream.FEED_DRAIN);
        }
    }

    boolean shutdownRequested() {
        return shutdownRequested;
    }

    /** After a connect callback: a shutdown requested meanwhile can proceed once writes drain. */
    void afterConnect() {
        if (shutdownRequested && head == null) {
            stream.feed(Stream.FEED_DRAIN);
        }
    }

    /** libuv's uv__drain: once the write queue is empty, shutdown(2) and the callback. */
    void drain() {
        TcpTls tls = tls();
        if (!shutdownRequested || stream.closing() || shutDown || head != null || stream.connecting()
                || stream.listening || tls != null && tls.blocksShutdown()) {
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
            loop.callbacks.invoke(cb, stream.self(), err == 0 ? null : err);
        }
    }

    private int shutdownOutput() {
        if (!stream.connected || !(stream.channel instanceof DuplexChannel)) {
            return Errno.UV_ENOTCONN;
        }
        TcpTls tls = tls();
        return tls != null ? tls.shutdownOutput(this::socketShutdown) : socketShutdown();
    }

    /** shutdown(2), SHUT_WR. */
    private int socketShutdown() {
        ChannelFuture f = ((DuplexChannel) stream.channel).shutdownOutput();
        if (!f.isDone()) {
            return 0; // not on the loop thread yet (cannot happen once the loop runs)
        }
        return f.isSuccess() ? 0 : ErrnoMapper.errno(f.cause());
    }

    // ================================================================= close

    /** close(): the buffers of writes held while connecting are released (Netty releases the others). */
    void close() {
        for (WriteReq req = head; req != null; req = req.next) {
            if (req.held != null) {
                ReferenceCountUtil.release(req.held);
                req.held = null;
            }
        }
    }

    /** Closing phase (uv__stream_destroy): writes (FIFO), then the shutdown, get their callbacks. */
    void finishClose() {
        WriteReq req;
        while ((req = poll()) != null) {
            finish(req, req.done ? req.error : Integer.valueOf(Errno.UV_ECANCELED));
        }
        unwritten = 0;
        heldWritten = 0;
        if (shutdownRequested) {
            StatusCallback<H> cb = shutdownCallback;
            shutdownRequested = false;
            shutdownCallback = null;
            loop.activeReqs--;
            if (cb != null) {
                loop.callbacks.invoke(cb, stream.self(), Errno.UV_ECANCELED);
            }
        }
    }
}
