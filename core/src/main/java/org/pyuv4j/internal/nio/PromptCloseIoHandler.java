package org.pyuv4j.internal.nio;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Set;
import org.pyuv4j.internal.ForwardingIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's NIO handler, except that a socket is closed the way libuv's {@code uv_close} closes it: at
 * once, with close(2). The JDK treats a channel registered with a selector differently: close()
 * shuts its output down (the peer reads FIN even when unread input should have made the close a
 * reset) and closes the descriptor only when the selector next selects, after pyuv4j's close callback:
 * the port of a closed listener could not be bound again in its close callback, and a closed
 * connection still took the peer's bytes.
 *
 * <p>So the channels of this transport report their close. Before the JDK channel is closed, its key
 * is cancelled and Netty's own non-blocking select deregisters it; the channel then closes as an
 * unregistered one does, at once. Netty's select ({@code NioIoHandler.selectNow}, package-private,
 * reached by reflection) because it clears Netty's selected-key set first and restores a wakeup the
 * select would swallow; the keys it selects are dropped, and the JDK's selectors are level-triggered,
 * so the next poll reports them again. Inside Netty's processing of selected keys (a close in a read
 * callback) no select can run without clearing the keys being processed: there the JDK closes the
 * channel its way, except that a socket with unread input gets SO_LINGER 0 so that the peer sees the
 * reset close(2) gives it and no FIN, and the select comes as soon as the processing ends, still
 * before any later phase of the loop (the descriptor is closed before the close callback). Where the
 * reflection is refused (Netty on the module path) closes stay as the JDK does them.
 */
final class PromptCloseIoHandler extends ForwardingIoHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PromptCloseIoHandler.class);
    private static final Method SELECT_NOW = selectNowMethod();

    /** One byte for {@link #resetIfUnreadInput}; direct, so that the JDK reads into it without a copy. */
    private final ByteBuffer probe = ByteBuffer.allocateDirect(1);
    private boolean processing;
    /** The selector of a channel closed during Netty's key processing, to select on when it ends. */
    private Selector closePending;

    private PromptCloseIoHandler(IoHandler delegate) {
        super(delegate);
    }

    private static Method selectNowMethod() {
        try {
            Method m = NioIoHandler.class.getDeclaredMethod("selectNow");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("NIO: closed sockets are closed at the next poll, as the JDK does ({})", e.toString());
            return null;
        }
    }

    static IoHandlerFactory factory() {
        return ForwardingIoHandler.wrap(NioIoHandler.newFactory(), PromptCloseIoHandler::new);
    }

    /**
     * Closes a channel of this transport, on the loop's thread: outside Netty's key processing the
     * channel is deregistered first, so that the JDK closes it at once; inside, the select that closes
     * the descriptor runs when the processing ends.
     *
     * @param registration the channel's registration, or null when it is not registered
     * @param jdkClose     Netty's {@code doClose}, which closes the JDK channel
     * @throws Exception what {@code jdkClose} throws
     */
    static void close(IoRegistration registration, JdkClose jdkClose) throws Exception {
        if (!(registration instanceof Registration r)) {
            jdkClose.run(); // not registered: the JDK closes it at once
            return;
        }
        PromptCloseIoHandler handler = r.handler;
        SelectionKey key = r.attachment();
        if (!handler.processing && SELECT_NOW != null) {
            key.cancel();
            handler.selectNow(key.selector());
            jdkClose.run();
            return;
        }
        // Still registered when the JDK closes it: no FIN before a reset, and the descriptor closed by a
        // select as soon as Netty's processing ends.
        if (key.channel() instanceof SocketChannel socket) {
            handler.resetIfUnreadInput(socket);
        }
        jdkClose.run();
        handler.closePending = key.selector();
    }

    /**
     * close(2) of a socket with unread input makes the kernel send a reset, where the JDK's close of a
     * registered socket sends FIN first. With SO_LINGER 0 the JDK skips that shutdown and the close
     * sends the reset (and drops unsent bytes, as the kernel does on that reset anyway). One byte is
     * read to find out; the socket is being closed, so it would have been dropped.
     */
    private void resetIfUnreadInput(SocketChannel socket) {
        try {
            probe.clear();
            if (socket.isConnected() && socket.read(probe) > 0) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException alreadyResetOrShut) {
            // the JDK's close is then what close(2) would do
        }
    }

    /** Netty's {@code doClose} of a channel. */
    @FunctionalInterface
    interface JdkClose {
        /** @throws Exception as {@code doClose} */
        void run() throws Exception;
    }

    private void selectNow(Selector selector) {
        if (SELECT_NOW == null) {
            return; // the JDK closes the descriptor at Netty's next select
        }
        try {
            SELECT_NOW.invoke(delegate);
            // Without Netty's own selected-key set (Java 24+ without --add-opens, or
            // -Dio.netty.noKeySetOptimization) the JDK's set keeps what this select found, and Netty's next
            // select, finding nothing new, would spin: drop them (the next poll reports them again).
            Set<SelectionKey> selected = selector.selectedKeys();
            if (!selected.isEmpty()) {
                try {
                    selected.clear();
                } catch (UnsupportedOperationException nettysOwnSet) {
                    // Netty's set refuses removal; its next select clears it
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the selector is closed (the loop is closing, which closes the descriptors) or broken (the
            // next poll rebuilds it)
            LOG.debug("NIO: select after close failed", e);
        }
    }

    @Override
    public int run(IoHandlerContext context) {
        processing = true;
        try {
            return delegate.run(context);
        } finally {
            processing = false;
            Selector pending = closePending;
            if (pending != null) {
                closePending = null;
                selectNow(pending);
            }
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Registration(delegate.register(handle), this);
    }

    /** Netty's registration, which knows its handler. */
    private static final class Registration extends ForwardingIoHandler.Registration {
        final PromptCloseIoHandler handler;

        Registration(IoRegistration delegate, PromptCloseIoHandler handler) {
            super(delegate);
            this.handler = handler;
        }
    }
}
