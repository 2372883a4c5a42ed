package org.pyuv4j.transport.epoll;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.pyuv4j.transport.unix.UnixTransport;

/** Linux epoll through Netty's native transport; preferred over NIO when its library loads. */
public final class EpollTransport extends UnixTransport {
    /** Made by {@link java.util.ServiceLoader}; whether epoll can run here is {@link #unavailabilityCause()}. */
    public EpollTransport() {
        super(new Natives("epoll", 26 /* IPV6_V6ONLY */, 4 /* TCP_KEEPIDLE */, 30 /* SO_ACCEPTCONN */, 1 /* SOL_SOCKET */, 15 /* SO_REUSEPORT */,
                EpollSocketChannel::new, fd -> new EpollSocketChannel(fd), fd -> new EpollServerSocketChannel(fd),
                EpollSocketChannel.class.getSuperclass().getSuperclass() /* AbstractEpollChannel */,
                EpollSocketChannel.class, EpollServerSocketChannel.class));
    }

    @Override
    public Throwable unavailabilityCause() {
        try {
            return Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    @Override
    public IoHandlerFactory newIoHandlerFactory() {
        // Wrapped: Netty 4.2.18 loses track of idle descriptors (see KeepRegisteredIoHandler).
        return KeepRegisteredIoHandler.wrap(EpollIoHandler.newFactory());
    }
}
