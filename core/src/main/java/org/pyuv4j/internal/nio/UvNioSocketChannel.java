package org.pyuv4j.internal.nio;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.SocketChannel;

/** A {@link NioSocketChannel} that lets the NIO transport reach its JDK channel (bind, try_write). */
final class UvNioSocketChannel extends NioSocketChannel {
    /** An AF_INET6 socket standing in for an IPv4 handle's (see NioTransport.bind). */
    final boolean dualStack;
    /** Bound with REUSEPORT: the server socket that takes the address over at listen() needs it too. */
    boolean reusePort;

    UvNioSocketChannel(SocketChannel socket) {
        this(socket, false);
    }

    UvNioSocketChannel(SocketChannel socket, boolean dualStack) {
        super(socket);
        this.dualStack = dualStack;
    }

    UvNioSocketChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
        this.dualStack = false;
    }

    SocketChannel jdk() {
        return javaChannel();
    }

    /** Closes the descriptor at once, as close(2) does (see {@link PromptCloseIoHandler}). */
    @Override
    protected void doClose() throws Exception {
        PromptCloseIoHandler.close(isRegistered() ? registration() : null, super::doClose);
    }
}
