package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * pyuv4j's handler in a stream's Netty pipeline (named {@value #NAME}, the last inbound handler): Netty's
 * events in, one hop to the stream's reader, write queue or acceptor. Sharable because a socket may
 * move from one channel to another (a bound socket becoming a listener).
 */
@ChannelHandler.Sharable
final class StreamEvents extends ChannelInboundHandlerAdapter {
    /** The handler's name in the pipeline. */
    static final String NAME = "pyuv4j";

    private final Stream<?> stream;

    StreamEvents(Stream<?> stream) {
        this.stream = stream;
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
        } else if (msg instanceof Channel) {
            if (stream.acceptor != null) {
                stream.acceptor.onIncoming((Channel) msg);
            } else {
                Stream.forceClose((Channel) msg);
            }
        } else {
            ReferenceCountUtil.release(msg);
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof ServerChannel) {
            if (stream.acceptor != null) {
                stream.acceptor.onError(cause);
            }
        } else {
            int err = ErrnoMapper.errno(cause);
            if (err == Errno.UV_ENOBUFS) {
                stream.reader.onNoBuffer(); // a read found no buffer: the stream itself is fine
            } else {
                stream.reader.onEnd(err);
            }
        }
    }
}
