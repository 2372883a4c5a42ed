package org.pyuv4j.transport.epoll;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import org.pyuv4j.transport.unix.UnixTransport;

/** Linux epoll through Netty's native transport; preferred over NIO when its library loads. */
public final class EpollTransport extends UnixTransport {
    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return 100;
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

    @Override
    protected Channel newStreamChannel(SocketProtocolFamily family) {
        return new EpollSocketChannel(family);
    }

    @Override
    protected Channel newStreamChannel(int fd) {
        return new EpollSocketChannel(fd);
    }

    @Override
    protected ServerChannel newServerChannel(int fd) {
        return new EpollServerSocketChannel(fd);
    }

    @Override
    protected Class<?> activeFlagOwner() {
        return EpollSocketChannel.class.getSuperclass().getSuperclass(); // AbstractEpollChannel
    }

    @Override
    protected int ipv6OnlyOption() {
        return 26;
    }

    @Override
    protected int keepIdleOption() {
        return 4; // TCP_KEEPIDLE
    }

    @Override
    protected int acceptConnOption() {
        return 30;
    }

    @Override
    protected int solSocket() {
        return 1;
    }
}
