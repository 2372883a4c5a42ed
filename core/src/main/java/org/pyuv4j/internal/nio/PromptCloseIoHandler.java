package org.pyuv4j.internal.nio;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Set;
import org.pyuv4j.internal.ForwardingIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's NIO handler, except that a socket is closed the way libuv's {@code uv_close} closes it: at
 * once, with close(2). The JDK treats a channel registered with a selector differently: close()
 * shuts its output down (the peer reads FIN even when unread input should have made the close a
 * reset) and closes the descriptor only when the selector next selects, after pyuv4j's close callback:
 * the port of a closed listener could not be bound again in its close callback, a closed listener
 * still completed handshakes (the client then saw a reset instead of a refusal), and a closed
 * connection still took the peer's bytes.
 *
 * <p>So the channels of this transport report their close. Before the JDK channel is closed, its key
 * is cancelled and Netty's own non-blocking select deregisters it; the channel then closes as an
 * unregistered one does, at once. Netty's select ({@code NioIoHandler.selectNow}, package-private,
 * reached by reflection) because it restores a wakeup the select would swallow. When the close comes
 * from a callback run while Netty processes the keys of its last select (a read, connect or listen
 * callback), that select replaces the set being processed. With Netty's own selected-key set (the
 * usual case) the batch is put back, so that Netty goes on with the keys of its batch and nothing
 * that became ready meanwhile is handled before the next poll, as in libuv (one {@code epoll_wait}
 * batch per poll). With the JDK's set, Netty is told to select again
 * ({@code needsToSelectAgain}, the flag it sets itself after many cancelled keys), which makes it
 * drop the keys not yet processed and select afresh once the current key is done; the JDK's
 * selectors are level-triggered, so nothing ready is lost. Where the reflection is refused (Netty on
 * the module path) closes stay as the JDK does them.
 */
final class PromptCloseIoHandler extends ForwardingIoHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PromptCloseIoHandler.class);
    private static final Method SELECT_NOW = selectNowMethod();
    private static final Field NEEDS_TO_SELECT_AGAIN = field(NioIoHandler.class, "needsToSelectAgain", boolean.class);
    private static final Field SELECTED_KEYS = field(NioIoHandler.class, "selectedKeys", null);
    private static final Field SET_KEYS = field(nettyKeySetClass(), "keys", SelectionKey[].class);
    private static final Field SET_SIZE = field(nettyKeySetClass(), "size", int.class);

    private boolean processing;
    /** The selector of a select made during Netty's key processing, whose keys may be left over. */
    private Selector selectedWhileProcessing;

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

    private static Class<?> nettyKeySetClass() {
        try {
            return Class.forName("io.netty.channel.nio.SelectedSelectionKeySet", false, NioIoHandler.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** A private field of Netty's, accessible, or null (type checked when given). */
    private static Field field(Class<?> owner, String name, Class<?> type) {
        if (owner == null) {
            return null;
        }
        try {
            Field f = owner.getDeclaredField(name);
            if (type != null && f.getType() != type) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static IoHandlerFactory factory() {
        return ForwardingIoHandler.wrap(NioIoHandler.newFactory(), PromptCloseIoHandler::new);
    }

    /**
     * Closes a channel of this transport, on the loop's thread: the channel is deregistered first, so
     * that the JDK closes it at once.
     *
     * @param registration the channel's registration, or null when it is not registered
     * @param jdkClose     Netty's {@code doClose}, which closes the JDK channel
     * @throws Exception what {@code jdkClose} throws
     */
    static void close(IoRegistration registration, JdkClose jdkClose) throws Exception {
        if (registration instanceof Registration r && r.handler.canSelectNow()) {
            SelectionKey key = r.attachment();
            key.cancel();
            r.handler.selectNow(key.selector());
        }
        jdkClose.run(); // unregistered now (or reflection refused): the JDK's own close
    }

    /** Netty's {@code doClose} of a channel. */
    @FunctionalInterface
    interface JdkClose {
        /** @throws Exception as {@code doClose} */
        void run() throws Exception;
    }

    private boolean canSelectNow() {
        return SELECT_NOW != null && (!processing || NEEDS_TO_SELECT_AGAIN != null);
    }

    private void selectNow(Selector selector) {
        try {
            if (processing) {
                selectWhileProcessing(selector);
                return;
            }
            SELECT_NOW.invoke(delegate);
            dropSelectedKeys(selector);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the selector is closed (the loop is closing, which closes the descriptors) or broken (the
            // next poll rebuilds it)
            LOG.debug("NIO: select after close failed", e);
        }
    }

    /** A select while Netty iterates over the keys of its last one (see the class comment). */
    private void selectWhileProcessing(Selector selector) throws ReflectiveOperationException {
        Object nettySet = SELECTED_KEYS == null ? null : SELECTED_KEYS.get(delegate);
        if (nettySet != null && SET_KEYS != null && SET_SIZE != null) {
            // Netty's selector resets its set before selecting: keep the batch (the keys not yet
            // processed, each with its ready set updated by this select) and drop what the select found.
            int batch = SET_SIZE.getInt(nettySet);
            SelectionKey[] rest = Arrays.copyOf((SelectionKey[]) SET_KEYS.get(nettySet), batch);
            SELECT_NOW.invoke(delegate);
            SelectionKey[] keys = (SelectionKey[]) SET_KEYS.get(nettySet);
            int found = SET_SIZE.getInt(nettySet);
            Arrays.fill(keys, 0, found, null);
            System.arraycopy(rest, 0, keys, 0, batch); // the array holds at least the batch: it never shrinks
            SET_SIZE.setInt(nettySet, batch);
            return;
        }
        SELECT_NOW.invoke(delegate);
        NEEDS_TO_SELECT_AGAIN.setBoolean(delegate, true);
        selectedWhileProcessing = selector;
    }

    private static void dropSelectedKeys(Selector selector) {
        try {
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
        } catch (RuntimeException closed) {
            // the selector was closed meanwhile: nothing to drop
        }
    }

    @Override
    public int run(IoHandlerContext context) {
        processing = true;
        try {
            return delegate.run(context);
        } finally {
            processing = false;
            Selector s = selectedWhileProcessing;
            if (s != null) {
                // Netty stops iterating when the key that closed was its last one, leaving what the
                // select added in the JDK's set (when Netty's own set is not installed).
                selectedWhileProcessing = null;
                dropSelectedKeys(s);
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
