package org.pyuv4j.transport.iouring;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelProgressivePromise;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Makes the system calls libuv makes inside an API call happen inside that call on io_uring, where Netty
 * would only queue a submission for the next {@code io_uring_enter} (the loop's next poll). One instance
 * per channel, first in its pipeline (before pyuv4j's own handler), installed by {@link IoUringChannels}:
 *
 * <ul>
 * <li><b>write</b>: libuv's {@code uv_write} calls {@code write(2)} at once when nothing is queued; its
 *     callback then runs in the next pending phase, and {@code write_queue_size} holds only what the kernel
 *     did not take. Netty's io_uring channel only submits a write, which completes a poll later: callbacks
 *     came after reads that libuv orders after them, and {@code write_queue_size} counted bytes the kernel
 *     would long have taken. So, when Netty holds nothing for the channel (no entry in its outbound buffer:
 *     no io_uring write in flight, nothing queued behind one), a flushed write is written here with a
 *     non-blocking {@code write(2)} on the socket, exactly as Netty's epoll channel does; what the socket
 *     does not take goes to Netty's io_uring write, in order, with its promise's progress offset by what was
 *     already written. Writes made without a flush (pyuv4j's writes from a read callback, flushed when
 *     Netty's read batch ends) wait here for the flush, so a burst is still written at once.</li>
 * <li><b>connect</b>: libuv calls {@code connect(2)} inside {@code uv_tcp_connect}, so the socket has its
 *     ephemeral address at once ({@code getsockname()}) and a refusal the kernel reports at once is raised
 *     there. The non-blocking {@code connect(2)} is made here; Netty's io_uring connect then finds the
 *     connection in progress ({@code EALREADY}, then POLLOUT and SO_ERROR) or done (it returns 0, or the
 *     error, for a socket whose handshake ended).</li>
 * <li><b>close of a listener</b>: libuv's {@code close(2)} stops listening at once; a connect made right
 *     after is refused. Netty closes an io_uring channel with a submitted close once its accept is
 *     cancelled, a poll or two later. The listening socket is shut down here first ({@code shutdown(2)} on
 *     a listener ends the listen state, resetting connections never accepted, as {@code close(2)} does);
 *     the descriptor itself is then closed by Netty.</li>
 * </ul>
 */
final class SyscallsNow extends ChannelDuplexHandler {
    /**
     * The handler's name in the pipeline: a transport's head handler (see
     * {@link org.pyuv4j.spi.Transport#HEAD_HANDLER_PREFIX}), which pyuv4j keeps at the head.
     */
    static final String NAME = org.pyuv4j.spi.Transport.HEAD_HANDLER_PREFIX + "io_uring";

    /** Writes made without a flush while Netty held nothing: written at the flush. */
    private ArrayDeque<Object> held;

    @Override
    public boolean isSharable() {
        return false;
    }

    // ---------------------------------------------------------------- accept: the children get one too

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel && ctx.channel() instanceof ServerChannel) {
            IoUringChannels.install((Channel) msg);
        }
        ctx.fireChannelRead(msg);
    }

    // ---------------------------------------------------------------- write

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (held == null || held.isEmpty()) {
            if (!nettyHoldsNothing(ctx.channel())) {
                ctx.write(msg, promise);
                return;
            }
            if (held == null) {
                held = new ArrayDeque<>(4);
            }
        }
        held.add(msg);
        held.add(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeHeld(ctx);
        ctx.flush();
    }

    /** Writes the held writes with write(2) while the socket takes them; the rest go to Netty, in order. */
    private void writeHeld(ChannelHandlerContext ctx) {
        if (held == null || held.isEmpty()) {
            return;
        }
        Channel ch = ctx.channel();
        boolean direct = nettyHoldsNothing(ch);
        Socket socket = direct ? (Socket) ((UnixChannel) ch).fd() : null;
        while (!held.isEmpty()) {
            Object msg = held.poll();
            ChannelPromise promise = (ChannelPromise) held.poll();
            if (!direct || !(msg instanceof ByteBuf)) {
                direct = false;
                ctx.write(msg, promise);
                continue;
            }
            ByteBuf buf = (ByteBuf) msg;
            int length = buf.readableBytes();
            int n;
            try {
                n = length == 0 ? 0 : writeNow(socket, buf);
            } catch (IOException e) {
                failAndShutDownOutput(ctx, buf, promise, e);
                return;
            }
            if (n == length) {
                buf.release();
                progress(promise, length, length);
                promise.trySuccess();
                continue;
            }
            direct = false;
            if (n > 0) {
                buf.skipBytes(n);
                progress(promise, n, length);
                promise = promise instanceof ChannelProgressivePromise
                        ? new Offset(ch, (ChannelProgressivePromise) promise, n) : promise;
            }
            ctx.write(buf, promise);
        }
    }

    /**
     * A write(2) failed (EPIPE, ECONNRESET...): what Netty does when its own write fails with
     * AUTO_CLOSE off. The write fails with ChannelOutputShutdownException around the error, the output is
     * shut down, and every later write fails (Netty's ChannelOutputShutdownException).
     */
    private void failAndShutDownOutput(ChannelHandlerContext ctx, ByteBuf buf, ChannelPromise promise, IOException e) {
        buf.release();
        promise.tryFailure(new ChannelOutputShutdownException("Channel output shutdown", e));
        while (!held.isEmpty()) {
            ctx.write(held.poll(), (ChannelPromise) held.poll());
        }
        Channel ch = ctx.channel();
        if (ch instanceof DuplexChannel) {
            ((DuplexChannel) ch).shutdownOutput();
        }
    }

    /** No entry in Netty's outbound buffer: no io_uring write in flight and none waiting. */
    private static boolean nettyHoldsNothing(Channel ch) {
        if (!ch.isActive() || !ch.isRegistered() || IoUringChannels.isBlocking(ch)) {
            return false;
        }
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out != null && out.totalPendingWriteBytes() == 0 && out.current() == null;
    }

    /** One non-blocking write(2) (or one per component); 0 when the socket takes nothing, -1 for heap memory. */
    private static int writeNow(Socket socket, ByteBuf buf) throws IOException {
        if (buf.hasMemoryAddress()) {
            return socket.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
        }
        if (!buf.isDirect()) {
            return 0; // Netty copies heap buffers into direct memory for its own write
        }
        int written = 0;
        for (ByteBuffer nio : buf.nioBuffers()) {
            if (!nio.isDirect()) {
                return written;
            }
            int want = nio.remaining();
            int n = socket.write(nio, nio.position(), nio.limit());
            written += n;
            if (n < want) {
                break;
            }
        }
        return written;
    }

    private static void progress(ChannelPromise promise, long progress, long total) {
        if (promise instanceof ChannelProgressivePromise) {
            ((ChannelProgressivePromise) promise).tryProgress(progress, total);
        }
    }

    /** The promise Netty gets for the rest of a write: progress counted from what write(2) already took. */
    private static final class Offset extends DefaultChannelProgressivePromise {
        private final ChannelProgressivePromise target;
        private final long offset;

        Offset(Channel ch, ChannelProgressivePromise target, long offset) {
            super(ch, ch.eventLoop());
            this.target = target;
            this.offset = offset;
        }

        @Override
        public boolean tryProgress(long progress, long total) {
            return target.tryProgress(offset + progress, offset + total);
        }

        @Override
        public ChannelProgressivePromise setProgress(long progress, long total) {
            target.setProgress(offset + progress, offset + total);
            return this;
        }

        @Override
        public boolean trySuccess(Void result) {
            super.trySuccess(result);
            return target.trySuccess(result);
        }

        @Override
        public ChannelProgressivePromise setSuccess(Void result) {
            super.trySuccess(result);
            target.setSuccess(result);
            return this;
        }

        @Override
        public boolean tryFailure(Throwable cause) {
            super.tryFailure(cause);
            return target.tryFailure(cause);
        }

        @Override
        public ChannelProgressivePromise setFailure(Throwable cause) {
            super.tryFailure(cause);
            target.setFailure(cause);
            return this;
        }
    }

    // ---------------------------------------------------------------- connect

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        Channel ch = ctx.channel();
        if (local == null && !ch.isActive() && ch.isRegistered()) {
            try {
                ((Socket) ((UnixChannel) ch).fd()).connect(remote); // EINPROGRESS on a TCP socket: false
            } catch (IOException e) {
                promise.tryFailure(e); // as Netty's epoll channel, whose connect(2) is made inside connect()
                return;
            }
        }
        ctx.connect(remote, local, promise);
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        Channel ch = ctx.channel();
        if (held != null) {
            while (!held.isEmpty()) {
                ctx.write(held.poll(), (ChannelPromise) held.poll()); // failed by Netty's close, as unflushed writes
            }
        }
        if (ch instanceof ServerChannel && ch.isOpen()) {
            try {
                ((Socket) ((UnixChannel) ch).fd()).shutdown(true, true);
            } catch (IOException | RuntimeException ignored) {
                // not listening (any more): close(2) follows anyway
            }
        }
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            while (!held.isEmpty()) {
                ReferenceCountUtil.release(held.poll());
                ((ChannelPromise) held.poll()).tryFailure(new java.nio.channels.ClosedChannelException());
            }
        }
    }
}
