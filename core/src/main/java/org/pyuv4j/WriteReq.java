package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultChannelProgressivePromise;
import io.netty.util.concurrent.EventExecutor;

/**
 * One {@code write()} (libuv's uv_write_t). It is also the Netty promise of the write and reacts to
 * its own completion (overriding the completion methods rather than registering a listener, which
 * would lock and allocate), so a write costs one object besides its buffer. Progress reports keep
 * the stream's write-queue size exact for partial writes.
 *
 * <p>Buffer ownership: {@link #held} is the data of a write issued while the stream was connecting;
 * the request owns it until it is handed to Netty (which then owns it) or released on cancel.
 */
final class WriteReq extends DefaultChannelProgressivePromise {
    final WriteQueue<?> queue;
    final StatusCallback<?> callback;
    final long size;
    /** libuv would not have written this request inside write(): it waited behind others or a connect. */
    final boolean queued;
    long written;
    boolean done;
    /** A TLS handshake failed while this request waited for it: it fails with UV_ECANCELED. */
    boolean cancelled;
    Integer error;
    Object held;
    /** The next request in the stream's write queue. */
    WriteReq next;

    WriteReq(WriteQueue<?> queue, Channel channel, EventExecutor executor, StatusCallback<?> callback, long size,
             boolean queued) {
        super(channel, executor);
        this.queue = queue;
        this.callback = callback;
        this.size = size;
        this.queued = queued;
    }

    @Override
    public boolean tryProgress(long progress, long total) {
        if (isDone()) {
            return false;
        }
        // an encoder in the pipeline may write more bytes than the request counted (an object's 0)
        long delta = Math.min(progress, size) - written;
        if (delta > 0) {
            queue.progressed(this, delta);
            written += delta;
        }
        return true;
    }

    @Override
    public ChannelProgressivePromise setSuccess(Void result) {
        super.setSuccess(result);
        completed(null);
        return this;
    }

    @Override
    public boolean trySuccess(Void result) {
        if (!super.trySuccess(result)) {
            return false;
        }
        completed(null);
        return true;
    }

    @Override
    public ChannelProgressivePromise setFailure(Throwable cause) {
        super.setFailure(cause);
        completed(cause);
        return this;
    }

    @Override
    public boolean tryFailure(Throwable cause) {
        if (!super.tryFailure(cause)) {
            return false;
        }
        completed(cause);
        return true;
    }

    private void completed(Throwable cause) {
        if (!done) {
            queue.completed(this, cause);
        }
    }
}
