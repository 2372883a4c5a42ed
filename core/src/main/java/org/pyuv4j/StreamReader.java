package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The read side of a {@link Stream} (libuv's {@code uv_read_start}/{@code uv_read_stop},
 * {@code uv__read}, {@code uv__stream_eof}): which callback reads go to, what arrived while they could
 * not be delivered, and the end of the stream (EOF or a read error).
 *
 * <p>Reads are delivered from the poll phase, straight from Netty's {@code channelRead}, when the loop
 * may call user code there; otherwise (not reading, inside another callback, or behind earlier parked
 * items) they are parked, in order, and delivered in a pending phase once reading. A read that landed
 * in the loop's shared read buffer is copied out before it is parked.
 *
 * <p>It is also the channel's read allocator ({@link ReadAllocator}): where Netty's reads land.
 *
 * <p>Buffer ownership: a {@link ByteBuf} given to {@link #onData} belongs to the reader from then on;
 * it is released after the callback ({@code startReadBuf}: unless the callee retained it), when parked
 * items are dropped at close, or at once when the handle is closing.
 *
 * @param <H> the stream type
 */
final class StreamReader<H extends Stream<H>> extends ReadAllocator {
    private static final Object EOF = new Object();
    private static final Object NO_BUFFER = new Object();

    private final Stream<H> stream;
    private ReadCallback<H> readCallback;
    private BufReadCallback<H> bufReadCallback;
    private MessageCallback<H> messageCallback;
    boolean reading;
    /** 0 while the read side is open; UV_EOF or an errno once the end was seen. */
    private int readEnd;
    private boolean inEndCallback;
    /** A socket error Netty read while we were not reading, not yet reported by a write or a read. */
    private int unreadSocketError;
    /** A socket error Netty's flush took while we were reading: the read reports it instead of EOF. */
    private int errorTakenByWrite;
    /** Data, EOF or errors that arrived when they could not be delivered; in order. */
    private ArrayDeque<Object> parked;

    StreamReader(Stream<H> stream) {
        this.stream = stream;
    }

    void start(ReadCallback<H> callback) {
        readCallback = callback;
        bufReadCallback = null;
        messageCallback = null;
        startReading();
    }

    void startBuf(BufReadCallback<H> callback) {
        bufReadCallback = callback;
        readCallback = null;
        messageCallback = null;
        startReading();
    }

    void startMessages(MessageCallback<H> callback) {
        messageCallback = callback;
        readCallback = null;
        bufReadCallback = null;
        startReading();
    }

    private void startReading() {
        reading = true;
        stream.activate();
        if (inEndCallback) {
            return; // decided when the EOF/error callback returns
        }
        if (hasParked()) {
            stream.feed(Stream.FEED_PARKED);
        } else if (readEnd != 0) {
            // libuv reads again and finds the end again: EOF on the next iteration.
            park(EOF);
        } else if (stream.connected) {
            stream.channel.config().setAutoRead(true);
        } else if (!stream.connecting() && !stream.listening) {
            // A socket with no peer: read(2) says ENOTCONN.
            readEnd = Errno.UV_ENOTCONN;
            park(Errno.UV_ENOTCONN);
        }
    }

    /**
     * uv_read_stop. {@code pauseSocket} is false at EOF or a read error, when Netty reads no more
     * anyway: turning auto-read off would cost a system call for nothing.
     */
    void stop(boolean pauseSocket) {
        reading = false;
        readCallback = null;
        bufReadCallback = null;
        messageCallback = null;
        if (!stream.listening) {
            stream.deactivate();
        }
        if (pauseSocket && stream.connected && stream.channel != null && !tlsHandshaking()) {
            stream.channel.config().setAutoRead(false);
        }
    }

    /** A TLS handshake reads the socket whatever the read callbacks want (TcpTls). */
    private boolean tlsHandshaking() {
        return stream instanceof TCP t && t.tls != null && t.tls.handshaking();
    }

    /**
     * Reads land in the loop's shared buffer unless the callee may keep them (startReadBuf,
     * startReadMessages) or handlers of the user's see them first.
     */
    @Override
    boolean zeroCopy() {
        return bufReadCallback != null || messageCallback != null || stream.hasUserHandlers();
    }

    @Override
    ByteBuf slab() {
        return stream.loop.readSlab.borrow();
    }

    private boolean hasParked() {
        return parked != null && !parked.isEmpty();
    }

    /** Netty read {@code buf} (the reader owns it from now on). */
    void onData(ByteBuf buf) {
        if (stream.closing()) {
            buf.release();
            return;
        }
        if (!reading || !stream.loop.canCallNow() || hasParked()) {
            park(stream.loop.readSlab.is(buf) ? copyOut(buf) : buf); // the shared read buffer must be free for the next read
            return;
        }
        deliverData(buf);
    }

    /**
     * The pipeline delivered an object that is not a {@link ByteBuf} (a user's decoder made it); the
     * reader owns it from now on.
     */
    void onMessage(Object msg) {
        if (stream.closing()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!reading || !stream.loop.canCallNow() || hasParked()) {
            park(new Message(msg));
            return;
        }
        deliverMessage(msg);
    }

    /** An object for the message callback, parked (a wrapper, since a message may be an Integer or a byte[]). */
    private record Message(Object value) {
    }

    private void deliverMessage(Object msg) {
        MessageCallback<H> mcb = messageCallback;
        try {
            if (mcb != null) {
                stream.loop.callbacks.invoke(mcb, stream.self(), msg, null);
            } else if (msg instanceof ByteBuf buf) {
                deliverData(buf.retain());
            } else {
                stream.loop.callbacks.failed(new IllegalStateException("the pipeline delivered a "
                        + msg.getClass().getName() + " to a byte reader: read it with startReadMessages"));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static byte[] copyOut(ByteBuf buf) {
        byte[] data = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), data);
        buf.release();
        return data;
    }

    private void deliverData(ByteBuf buf) {
        if (messageCallback != null) {
            deliverMessage(buf);
            return;
        }
        BufReadCallback<H> bcb = bufReadCallback;
        if (bcb != null) {
            try {
                stream.loop.callbacks.invoke(bcb, stream.self(), buf, null);
            } finally {
                buf.release();
            }
        } else {
            stream.loop.callbacks.invoke(readCallback, stream.self(), copyOut(buf), null);
        }
    }

    /** Delivers bytes that were parked as an array (copied out of the shared read buffer). */
    private void deliverBytes(byte[] data) {
        if (bufReadCallback != null || messageCallback != null) {
            deliverData(Unpooled.wrappedBuffer(data));
        } else {
            stream.loop.callbacks.invoke(readCallback, stream.self(), data, null);
        }
    }

    /** The read side ended: {@link Errno#UV_EOF} or a read error. */
    void onEnd(int err) {
        if (stream.closing() || readEnd != 0) {
            return; // Netty follows a read error with an input-shutdown event: report the first only
        }
        boolean takenByWrite = err == Errno.UV_EOF && errorTakenByWrite != 0;
        if (takenByWrite) {
            err = errorTakenByWrite; // see WriteQueue.errorFor
            errorTakenByWrite = 0;
        }
        readEnd = err;
        if (!reading || !stream.loop.canCallNow() || hasParked()) {
            if (!reading && err != Errno.UV_EOF && !takenByWrite) {
                // Netty read the socket error although we were not reading; libuv would have left it
                // in the socket for the next write(2) to report.
                unreadSocketError = err;
            }
            park(err == Errno.UV_EOF ? EOF : (Object) err);
            return;
        }
        deliverEnd(err);
    }

    /**
     * No buffer could be had for a read (direct memory exhausted): libuv's alloc_cb failing, reported
     * as {@link Errno#UV_ENOBUFS} to the read callback; pyuv stops reading before the callback, as for
     * any error, but the stream has not ended: reading may start again.
     */
    void onNoBuffer() {
        if (stream.closing() || !reading) {
            return; // not reading: libuv would not have asked for a buffer
        }
        if (!stream.loop.canCallNow() || hasParked()) {
            park(NO_BUFFER);
            return;
        }
        deliverNoBuffer();
    }

    private void deliverNoBuffer() {
        Callback<H> cb = callback();
        stop(true);
        cb.error(Errno.UV_ENOBUFS);
    }

    /** Whichever read callback is set, for an error or EOF. */
    private Callback<H> callback() {
        ReadCallback<H> cb = readCallback;
        BufReadCallback<H> bcb = bufReadCallback;
        MessageCallback<H> mcb = messageCallback;
        H h = stream.self();
        return err -> {
            if (mcb != null) {
                stream.loop.callbacks.invoke(mcb, h, null, err);
            } else if (bcb != null) {
                stream.loop.callbacks.invoke(bcb, h, null, err);
            } else if (cb != null) {
                stream.loop.callbacks.invoke(cb, h, null, err);
            }
        };
    }

    /** A read callback called with an error. */
    @FunctionalInterface
    private interface Callback<H> {
        void error(int errno);
    }

    /** EOF or error: reading stops before the callback (pyuv), and a restart inside it is undone (libuv 1.13). */
    private void deliverEnd(int err) {
        Callback<H> cb = callback();
        stop(false);
        inEndCallback = true;
        try {
            cb.error(err);
        } finally {
            inEndCallback = false;
        }
        if (reading && !stream.closing()) {
            // Restarted from inside the callback. libuv clears its READING flag after an EOF
            // callback but leaves the handle active (it then never reads again); after an error
            // callback it stops the handle too.
            reading = false;
            if (err != Errno.UV_EOF && !stream.listening) {
                stream.deactivate();
            }
        }
    }

    /** After a failed connect, a reading stream reads ENOTCONN. */
    void connectFailed() {
        if (reading) {
            onEnd(Errno.UV_ENOTCONN);
        }
    }

    private void park(Object item) {
        if (parked == null) {
            parked = new ArrayDeque<>(4);
        }
        parked.add(item);
        if (reading) {
            stream.feed(Stream.FEED_PARKED);
        }
    }

    /** Pending phase: what was parked, in order, while reading. */
    void deliverParked() {
        if (reading) {
            unreadSocketError = 0;
        }
        while (reading && !stream.closing() && hasParked()) {
            Object item = parked.poll();
            if (item instanceof ByteBuf) {
                deliverData((ByteBuf) item);
            } else if (item instanceof byte[]) {
                deliverBytes((byte[]) item);
            } else if (item == NO_BUFFER) {
                deliverNoBuffer();
            } else if (item instanceof Message m) {
                deliverMessage(m.value());
            } else {
                deliverEnd(item == EOF ? Errno.UV_EOF : (Integer) item);
            }
        }
        if (reading && !stream.closing() && stream.connected && readEnd == 0) {
            stream.channel.config().setAutoRead(true);
        }
    }

    /**
     * A write failed: if a socket error was read while not reading, that write reports it (write(2)
     * reports the pending socket error first), and a later read sees EOF instead.
     *
     * @return the socket error, or 0
     */
    int takeUnreadSocketError() {
        int err = unreadSocketError;
        if (err != 0) {
            unreadSocketError = 0;
            if (parked != null && parked.remove(err)) {
                parked.add(EOF);
            }
        }
        return err;
    }

    /**
     * libuv reads before it writes on one poll event, so read(2) takes a socket error (read callback:
     * ECONNRESET) and write(2) gets EPIPE. Netty flushes first and then reads EOF: a write that took
     * the error hands it back here, when reading.
     *
     * @return whether the read side will report {@code err}
     */
    boolean takeOverSocketError(int err) {
        if (reading && readEnd == 0) {
            errorTakenByWrite = err;
            return true;
        }
        return false;
    }

    /** The read side has ended (EOF or a read error was seen). */
    boolean ended() {
        return readEnd != 0;
    }

    /**
     * {@code TCP.unread}: {@code data} goes in front of everything not delivered yet (the next read
     * callback gets it first; after {@code startTls}, the TLS layer reads it first).
     */
    void unread(byte[] data) {
        if (data.length == 0) {
            return;
        }
        if (parked == null) {
            parked = new ArrayDeque<>(4);
        }
        parked.addFirst(data.clone());
        if (reading) {
            stream.feed(Stream.FEED_PARKED);
        }
    }

    /**
     * {@code startTls}: the bytes that reached pyuv4j's handler and were not delivered leave the reader,
     * in order, for the TLS layer (the caller owns them). Objects a user's decoder made, and a parked
     * end, stay for the read callback.
     */
    List<ByteBuf> takeParkedBytes() {
        List<ByteBuf> out = new ArrayList<>();
        if (parked == null) {
            return out;
        }
        for (Iterator<Object> it = parked.iterator(); it.hasNext(); ) {
            Object o = it.next();
            if (o instanceof ByteBuf b) {
                out.add(b);
                it.remove();
            } else if (o instanceof byte[] a) {
                out.add(Unpooled.wrappedBuffer(a));
                it.remove();
            }
        }
        return out;
    }

    /** close(): stop, and drop what was parked. */
    void close() {
        reading = false;
        if (parked != null) {
            for (Object o : parked) {
                ReferenceCountUtil.release(o instanceof Message m ? m.value() : o);
            }
            parked = null;
        }
    }
}
