package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.DefaultChannelProgressivePromise;
import io.netty.util.concurrent.EventExecutor;

/**
 * One {@code write()} (libuv's uv_write_t). It is also the Netty promise of the write and its own
 * listener, so a write costs one object besides its buffer. Progress notifications keep the
 * stream's write-queue size exact for partial writes.
 *
 * <p>Buffer ownership: {@link #held} is the data of a write issued while the stream was connecting;
 * the request owns it until it is handed to Netty (which then owns it) or released on cancel.
 */
final class WriteReq extends DefaultChannelProgressivePromise implements ChannelProgressiveFutureListener {
    final Stream<?> stream;
    final StatusCallback<?> callback;
    final long size;
    long written;
    boolean done;
    Integer error;
    ByteBuf held;

    WriteReq(Stream<?> stream, Channel channel, EventExecutor executor, StatusCallback<?> callback, long size) {
        super(channel, executor);
        this.stream = stream;
        this.callback = callback;
        this.size = size;
        addListener(this);
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
        long delta = progress - written;
        if (delta > 0) {
            written = progress;
            stream.writeQueueSize -= delta;
        }
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
        if (done) {
            return;
        }
        if (future.isSuccess()) {
            stream.writeQueueSize -= size - written;
            written = size;
        } else {
            // Unwritten bytes stay counted until the callback runs, as libuv (a signal to stop writing).
            error = stream.writeError(future.cause());
        }
        done = true;
        stream.writeCompleted();
    }
}
