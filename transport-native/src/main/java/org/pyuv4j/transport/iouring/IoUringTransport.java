package org.pyuv4j.transport.iouring;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import java.io.IOException;
import io.netty.channel.uring.IoUring;
import org.pyuv4j.transport.unix.UnixTransport;

/**
 * Linux io_uring through Netty's native transport. Chosen by name only ({@code new Loop("io_uring")},
 * {@code -Dpyuv4j.transport=io_uring}): its priority is below epoll's, so {@code new Loop()} keeps epoll.
 *
 * <p>The socket calls are {@link UnixTransport}'s (raw bind before listen, listen on the bound socket,
 * {@code open(fd)}, {@code try_write}, the EMFILE shed). Netty's io_uring channels have no public
 * constructors for a given family or descriptor; {@link IoUringChannels} builds them.
 */
public final class IoUringTransport extends UnixTransport {
    /** Below epoll's 100 and above NIO's 0: io_uring is used when asked for. */
    static final int PRIORITY = 50;

    /** Made by {@link java.util.ServiceLoader}; whether io_uring can run here is {@link #unavailabilityCause()}. */
    public IoUringTransport() {
        super(new Natives("io_uring", 26 /* IPV6_V6ONLY */, 4 /* TCP_KEEPIDLE */, 30 /* SO_ACCEPTCONN */, 1 /* SOL_SOCKET */,
                15 /* SO_REUSEPORT */, IoUringChannels::newStream, IoUringChannels::wrapStream, IoUringChannels::wrapServer,
                IoUringChannels.ACTIVE_FLAG_OWNER, io.netty.channel.uring.IoUringSocketChannel.class,
                io.netty.channel.uring.IoUringServerSocketChannel.class));
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Throwable unavailabilityCause() {
        try {
            Throwable cause = IoUring.unavailabilityCause();
            if (cause == null) {
                cause = IoUringChannels.unavailabilityCause();
            }
            return cause != null ? cause : PollSnapshotIoHandler.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    /**
     * {@inheritDoc} Nothing (UV_EAGAIN) on a socket that had to be made blocking after its peer's FIN
     * (see {@code PollSnapshotIoHandler}): a write(2) there could block the loop.
     */
    @Override
    public int tryWrite(Channel channel, ByteBuf data) throws IOException {
        if (IoUringChannels.isBlocking(channel)) {
            return 0;
        }
        return super.tryWrite(channel, data);
    }

    @Override
    public IoHandlerFactory newIoHandlerFactory() {
        return PollSnapshotIoHandler.factory();
    }
}
