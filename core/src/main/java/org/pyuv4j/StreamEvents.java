package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * What happens to a stream: pyuv4j's handler in its Netty pipeline (named {@value #NAME}, the last
 * inbound handler), Netty's events in, one hop to the stream's reader, write queue or acceptor; and, as
 * a {@link Runnable}, the stream's task in the loop's pending phase ({@link Stream#feed}), so that a
 * connection needs no task object of its own. Sharable because a socket may move from one channel to
 * another (a bound socket becoming a listener).
 */
@ChannelHandler.Sharable
final class StreamEvents extends ChannelInboundHandlerAdapter implements Runnable {
    /** The handler's name in the pipeline. */
    static final String NAME = "pyuv4j";

    private final Stream<?> stream;

    StreamEvents(Stream<?> stream) {
        this.stream = stream;
    }

    /** The pending phase's turn for this stream. */
    @Override
    public void run() {
        stream.runPending();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            WriteQueue<?> writes = stream.writes;
            writes.inNettyRead = true;
            try {
                stream.reader.onData((ByteBuf) msg);
            } finally {
                writes.inNettyRead = false;
            }
        } else if (msg instanceof Channel && ctx.channel() instanceof ServerChannel) {
            if (stream.acceptor != null) {
                stream.acceptor.onIncoming((Channel) msg);
            } else {
                Stream.forceClose((Channel) msg);
            }
        } else {
            stream.reader.onMessage(msg); // what a user's decoder made
        }
    }

    /**
     * The channel closed while the handle did not: a user's handler closed it (an idle timeout...).
     * The handle sees a connection error, as libuv would after the kernel dropped the connection:
     * the read side gets {@code UV_ECONNABORTED}, writes fail, {@code close()} still works.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!stream.closing() && !(ctx.channel() instanceof ServerChannel)) {
            stream.reader.onEnd(Errno.UV_ECONNABORTED);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!stream.closing()) {
            stream.writes.flushPending();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            stream.reader.onEnd(Errno.UV_EOF);
        }
        ReferenceCountUtil.release(evt);
    }

    /**
     * A socket error (an {@link IOException} from Netty's read) ends the read side; a read that found
     * no buffer is {@code UV_ENOBUFS}; anything else was thrown by a handler of the user's: it goes to
     * the excepthook and the stream goes on.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof ServerChannel) {
            if (stream.acceptor != null) {
                stream.acceptor.onError(cause);
            }
        } else if (cause instanceof IOException) {
            stream.reader.onEnd(ErrnoMapper.errno(cause));
        } else if (cause instanceof OutOfMemoryError) {
            int err = ErrnoMapper.errno(cause);
            if (err == Errno.UV_ENOBUFS) {
                stream.reader.onNoBuffer(); // a read found no buffer: the stream itself is fine
            } else {
                stream.reader.onEnd(err);
            }
        } else if (!stream.closing()) {
            stream.loop.callbacks.failed(cause);
        }
    }
}
