package org.pyuv4j.transport.kqueue;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import org.pyuv4j.transport.unix.UnixTransport;

/** macOS/BSD kqueue through Netty's native transport; preferred over NIO when its library loads. */
public final class KQueueTransport extends UnixTransport {
    @Override
    public String name() {
        return "kqueue";
    }

    @Override
    public int priority() {
        return 100;
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

    @Override
    protected Channel newStreamChannel(SocketProtocolFamily family) {
        return new KQueueSocketChannel(family);
    }

    @Override
    protected Channel newStreamChannel(int fd) {
        return new KQueueSocketChannel(fd);
    }

    @Override
    protected ServerChannel newServerChannel(int fd) {
        return new KQueueServerSocketChannel(fd);
    }

    @Override
    protected Class<?> activeFlagOwner() {
        return KQueueSocketChannel.class.getSuperclass().getSuperclass(); // AbstractKQueueChannel
    }

    @Override
    protected int ipv6OnlyOption() {
        return 27;
    }

    @Override
    protected int keepIdleOption() {
        return 0x10; // TCP_KEEPALIVE
    }

    @Override
    protected int acceptConnOption() {
        return 0x0002;
    }

    @Override
    protected int solSocket() {
        return 0xffff;
    }
}
