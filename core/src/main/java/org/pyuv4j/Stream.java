package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.EmfileReserve;

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
 * <p>The work is done by three package-private parts, one per concern: {@code StreamReader} (the
 * read side), {@code WriteQueue} (writes, {@code write_queue_size}, {@code try_write}, shutdown) and
 * {@code Acceptor} (listen/accept); {@code StreamEvents} brings Netty's events to them.
 *
 * @param <H> the concrete stream type
 */
public abstract class Stream<H extends Stream<H>> extends Handle<H> {
    // Work for the loop's pending phase (libuv's uv__io_feed): one task per stream, these bits say what.
    static final int FEED_WRITES = 1;
    static final int FEED_DRAIN = 2;
    static final int FEED_PARKED = 4;

    /** The socket: a stream channel, a listening server channel, or null when there is none yet. */
    Channel channel;
    boolean registered;
    /** The stream channel has a peer (accepted, opened connected, or connect succeeded). */
    boolean connected;
    boolean readable;
    boolean writable;
    boolean listening;
    /** A pending connect's callback (started by subclasses); non-null while connecting. */
    StatusCallback<H> connectCallback;

    final StreamReader<H> reader = new StreamReader<>(this);
    final WriteQueue<H> writes = new WriteQueue<>(this);
    /** Created by the first {@code listen()}. */
    Acceptor<H> acceptor;
    private final StreamEvents events = new StreamEvents(this);
    private int fed;

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
        if (listening) {
            acceptor.callback = callback;
            return;
        }
        EmfileReserve.ensure();
        startListening(backlog);
        acceptor = new Acceptor<>(this, callback);
        listening = true;
        attach(channel);
        ensureRegistered();
        channel.config().setAutoRead(true);
        activate();
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
        Channel child = acceptor == null ? null : acceptor.take();
        if (child == null) {
            throw error(Errno.UV_EAGAIN);
        }
        if (client.channel != null) {
            forceClose(child);
            throw error(Errno.UV_EBUSY);
        }
        client.adoptAccepted(child, this);
    }

    /** Takes over a connection accepted by {@code server} (libuv uv__stream_open with READABLE|WRITABLE). */
    void adoptAccepted(Channel child, Stream<?> server) {
        adoptConnection(child);
    }

    /** Takes over an accepted, unregistered connection: readable, writable, registered with this loop. */
    final void adoptConnection(Channel child) {
        channel = child;
        connected = true;
        readable = true;
        writable = true;
        attach(child);
        ensureRegistered();
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
        reader.start(callback);
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
        reader.startBuf(callback);
    }

    private void requireSocketForRead() {
        if (channel == null) {
            // pyuv's libuv aborts the process here; modern libuv says ENOTCONN.
            throw error(Errno.UV_ENOTCONN);
        }
    }

    /**
     * Starts reading the objects the stream's Netty pipeline delivers (a Java addition, docs/NETTY.md):
     * what the user's decoders in front of pyuv4j's handler produce, one callback per object, with EOF
     * and errors as for {@link #startRead}. Without decoders the objects are the {@code ByteBuf}s read.
     * See {@link MessageCallback} for ownership. Replaces any read callback.
     *
     * @param callback the message callback
     * @throws org.pyuv4j.error.StreamError {@code UV_ENOTCONN} when the handle has no socket
     */
    public void startReadMessages(MessageCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(callback, "callback");
        requireSocketForRead();
        reader.startMessages(callback);
    }

    /**
     * Stops reading; does nothing when not reading.
     */
    public void stopRead() {
        loop.checkThread();
        checkNotClosed();
        if (reader.reading) {
            reader.stop(true);
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
     * runs once the bytes were handed to the kernel (or failed), never from inside this call. When no
     * buffer can be had for the copy (direct memory exhausted) the callback gets {@link Errno#UV_ENOBUFS}.
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
        if (data.length == 0) {
            writes.enqueue(Unpooled.EMPTY_BUFFER, callback);
            return;
        }
        ByteBuf buf = writes.allocate(data.length, callback);
        if (buf != null) {
            writes.enqueue(buf.writeBytes(data), callback);
        }
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
        ByteBuf buf = writes.allocate(data.remaining(), callback);
        if (buf != null) {
            writes.enqueue(buf.writeBytes(data.duplicate()), callback);
        }
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
        writes.enqueue(data, callback);
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
        ByteBuf buf = total == 0 ? Unpooled.EMPTY_BUFFER : writes.allocate((int) total, callback);
        if (buf == null) {
            return;
        }
        for (byte[] b : data) {
            buf.writeBytes(b);
        }
        writes.enqueue(buf, callback);
    }

    /**
     * {@code writeMessage(message, null)}.
     *
     * @param message the object; ownership passes to the stream on success
     */
    public void writeMessage(Object message) {
        writeMessage(message, null);
    }

    /**
     * Writes an object through the stream's Netty pipeline (a Java addition, docs/NETTY.md): the
     * user's encoders turn it into bytes. Ordering, callbacks and {@link #getWriteQueueSize()} are
     * those of {@code write()}; an object other than a {@code ByteBuf} or {@code ByteBufHolder}
     * counts as 0 bytes in the write queue size (its encoded size is not known before it is encoded).
     *
     * <p><b>Ownership:</b> when this method returns normally the stream owns a reference-counted
     * {@code message} and releases it (through the pipeline) once written or failed; when it throws,
     * the caller still owns it.
     *
     * @param message  the object
     * @param callback called when done, or {@code null}
     * @throws org.pyuv4j.error.StreamError {@code UV_EBADF} when the handle has no socket
     */
    public void writeMessage(Object message, StatusCallback<H> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(message, "message");
        requireSocketForWrite();
        writes.enqueueMessage(message, callback);
    }

    private void requireSocketForWrite() {
        if (channel == null) {
            throw error(Errno.UV_EBADF);
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
        return writes.tryWrite(Unpooled.wrappedBuffer(data));
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
        return writes.tryWrite(Unpooled.wrappedBuffer(data.duplicate()));
    }

    /**
     * libuv's {@code write_queue_size}: bytes queued by {@code write()} and not yet handed to the
     * kernel. Inside a write callback it includes every request queued behind that one, as libuv
     * (which writes a waiting request only after the callbacks of those before it).
     *
     * @return the size in bytes
     */
    public long getWriteQueueSize() {
        loop.checkThread();
        return writes.size();
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
        writes.shutdown(callback);
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
     * The socket's OS descriptor (pyuv's {@code fileno()}).
     *
     * @return the descriptor
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

    // ================================================================= Netty interop

    /**
     * The Netty channel under this handle (a Java addition, docs/NETTY.md), for its attributes,
     * options and addresses. Closing it is seen by the handle as a connection error
     * ({@code UV_ECONNABORTED}); close the handle instead.
     *
     * @return the channel, or {@code null} before the handle has a socket
     */
    public Channel getChannel() {
        loop.checkThread();
        return channel;
    }

    /**
     * The channel's pipeline, for the user's handlers (a Java addition, docs/NETTY.md):
     * {@code addLast} puts them in front of pyuv4j's handler (named {@code "pyuv4j"}, always the
     * last inbound one), so that reads pass through them before the read callback and {@code write()}
     * goes out through them. Add handlers to an accepted, connected or wrapped stream: the socket of a
     * handle that is bound and then listens (or connects on NIO) may move to a new channel.
     *
     * @return the pipeline, or {@code null} before the handle has a socket
     */
    public ChannelPipeline pipeline() {
        loop.checkThread();
        return channel == null ? null : PipelineView.of(channel.pipeline());
    }

    /** Handlers of the user's sit in front of pyuv4j's. */
    final boolean hasUserHandlers() {
        return channel != null && channel.pipeline().first() != events;
    }

    // ================================================================= plumbing

    /** A connect request is pending: writes wait for it (libuv's connect_req). */
    final boolean connecting() {
        return connectCallback != null;
    }

    /** After a successful connect: hand queued writes to Netty and start reading. */
    void connectSucceeded() {
        connected = true;
        writes.connected();
        if (reader.reading) {
            channel.config().setAutoRead(true);
        }
    }

    /** After a connect callback: what waited for the connect goes on, or is cancelled. */
    void afterConnectCallback(boolean success) {
        if (closing()) {
            return;
        }
        if (!success) {
            writes.connectFailed(); // queued writes are cancelled right after the connect callback
            if (!closing()) {
                reader.connectFailed();
            }
        } else {
            writes.afterConnect();
        }
    }

    /** Configures a channel for libuv semantics and installs the event handler (not registered yet). */
    void attach(Channel ch) {
        ChannelConfig c = ch.config();
        c.setAutoRead(false);
        if (!(ch instanceof ServerChannel)) {
            c.setAutoClose(false);
            c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            c.setRecvByteBufAllocator(reader); // the reader is the allocator and its handle
            c.setConnectTimeoutMillis(0);
            configureSocket(ch);
        }
        ch.pipeline().addLast(StreamEvents.NAME, events);
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

    /** Queues {@code what} for this stream's task in the next pending phase. */
    final void feed(int what) {
        if (fed == 0) {
            loop.feed(events);
        }
        fed |= what;
    }

    /** The pending phase for this stream: finished writes' callbacks, a deferred shutdown, parked reads. */
    void runPending() {
        int what = fed;
        fed = 0;
        if ((what & FEED_WRITES) != 0) {
            writes.runCallbacks();
        } else if ((what & FEED_DRAIN) != 0) {
            writes.drain();
        }
        if ((what & FEED_PARKED) != 0 && !closing()) {
            reader.deliverParked();
        }
    }

    @Override
    void onClose() {
        reader.close();
        listening = false;
        if (channel != null) {
            writes.flushPending(); // libuv wrote them inside write(); they must not turn into ECANCELED here
            if (registered) {
                loop.closing(channel.close());
            } else {
                channel.unsafe().closeForcibly();
            }
        }
        if (acceptor != null) {
            acceptor.close();
        }
        writes.close();
    }

    /** libuv's uv__stream_destroy: connect, then writes (FIFO), then shutdown get ECANCELED. */
    @Override
    void onFinishClose() {
        StatusCallback<H> connectCb = connectCallback;
        if (connectCb != null) {
            connectCallback = null;
            loop.activeReqs--;
            loop.callbacks.invoke(connectCb, self(), Errno.UV_ECANCELED);
        }
        writes.finishClose();
    }
}
