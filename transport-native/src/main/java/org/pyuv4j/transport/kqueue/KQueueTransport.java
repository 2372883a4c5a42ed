package org.pyuv4j.transport.kqueue;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import org.pyuv4j.transport.unix.UnixTransport;

/** macOS/BSD kqueue through Netty's native transport; preferred over NIO when its library loads. */
public final class KQueueTransport extends UnixTransport {
    /** Made by {@link java.util.ServiceLoader}; whether kqueue can run here is {@link #unavailabilityCause()}. */
    public KQueueTransport() {
        super(new Natives("kqueue", 27 /* IPV6_V6ONLY */, 0x10 /* TCP_KEEPALIVE */, 0x0002 /* SO_ACCEPTCONN */,
                0xffff /* SOL_SOCKET */, reusePortLb(), KQueueSocketChannel::new, fd -> new KQueueSocketChannel(fd),
                fd -> new KQueueServerSocketChannel(fd),
                KQueueSocketChannel.class.getSuperclass().getSuperclass() /* AbstractKQueueChannel */,
                KQueueSocketChannel.class, KQueueServerSocketChannel.class));
    }

    /** FreeBSD's SO_REUSEPORT_LB balances; macOS's SO_REUSEPORT does not (libuv: ENOTSUP there). */
    private static int reusePortLb() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("freebsd") ? 0x00010000 : 0;
    }

    @Override
    public Throwable unavailabilityCause() {
        try {
            return KQueue.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    @Override
    public IoHandlerFactory newIoHandlerFactory() {
        return KQueueIoHandler.newFactory();
    }
}
