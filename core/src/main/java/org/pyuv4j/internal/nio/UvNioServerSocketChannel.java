package org.pyuv4j.internal.nio;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A {@link NioServerSocketChannel} whose accepted children are {@link UvNioSocketChannel}s, and whose
 * accept errors (EMFILE...) reach the pipeline instead of being logged and dropped.
 */
final class UvNioServerSocketChannel extends NioServerSocketChannel {
    UvNioServerSocketChannel(ServerSocketChannel channel) {
        super(channel);
    }

    ServerSocketChannel jdk() {
        return javaChannel();
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel ch = javaChannel().accept();
        if (ch == null) {
            return 0;
        }
        try {
            buf.add(new UvNioSocketChannel(this, ch));
            return 1;
        } catch (Throwable t) {
            ch.close();
            throw t;
        }
    }

    /** Closes the descriptor at once, as close(2) does (see {@link PromptCloseIoHandler}). */
    @Override
    protected void doClose() throws Exception {
        PromptCloseIoHandler.close(isRegistered() ? registration() : null, super::doClose);
    }
}
