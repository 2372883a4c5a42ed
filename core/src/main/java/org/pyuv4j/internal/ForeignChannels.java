package org.pyuv4j.internal;

import io.netty.channel.Channel;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Counts the Netty channels registered with a loop by its user (a {@code Bootstrap} on
 * {@code Loop.getEventLoop()}), as opposed to pyuv4j's own: while one is registered the loop is
 * alive, as while a handle is active. Wraps the transport's I/O handler; pyuv4j registers its own
 * channels inside {@link #registeringOwn(Runnable)}. Loop-thread only. Internal.
 */
public final class ForeignChannels {
    private Counting handler;
    private boolean own;
    private int registered;
    /** Netty registers a channel through its unsafe: the IoHandle of a channel is {@code channel.unsafe()}. */
    private final Map<Object, Foreign> byHandle = new IdentityHashMap<>();

    /**
     * @param factory the transport's handler factory
     * @return a factory whose handler counts foreign registrations into this object
     */
    public IoHandlerFactory wrap(IoHandlerFactory factory) {
        return ForwardingIoHandler.wrap(factory, h -> {
            handler = new Counting(h);
            return handler;
        });
    }

    /**
     * {@return how many user channels are registered now} Transports whose deregistration does not go
     * through the registration's {@code cancel()} (io_uring: Netty drops the registration when the
     * ring reports its last operation) are counted out here, when their registration is no longer
     * valid. Called only when nothing else keeps the loop alive, so the walk is rare.
     */
    public int registered() {
        if (registered > 0) {
            for (java.util.Iterator<Foreign> it = byHandle.values().iterator(); it.hasNext(); ) {
                Foreign f = it.next();
                if (!f.isValid() && f.counted) {
                    f.counted = false;
                    registered--;
                    it.remove();
                }
            }
        }
        return registered;
    }

    /**
     * A user channel becomes pyuv4j's ({@code TCP.wrap}): from now on its handle decides whether it
     * keeps the loop alive.
     *
     * @param channel a channel registered with this loop
     */
    public void adopt(Channel channel) {
        Foreign f = byHandle.remove(channel.unsafe());
        if (f != null && f.counted) {
            f.counted = false;
            registered--;
        }
    }

    /**
     * Runs {@code registration} (pyuv4j registering one of its channels) so that it is not counted.
     *
     * @param registration the registration call; Netty registers inside it on the loop thread
     */
    public void registeringOwn(Runnable registration) {
        boolean was = own;
        own = true;
        try {
            registration.run();
        } finally {
            own = was;
        }
    }

    private final class Counting extends ForwardingIoHandler {
        Counting(IoHandler delegate) {
            super(delegate);
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            IoRegistration r = delegate.register(handle);
            if (own) {
                return r;
            }
            registered++;
            Foreign f = new Foreign(r, handle);
            byHandle.put(handle, f);
            return f;
        }
    }

    /** A user channel's registration: its cancel (Netty's deregistration) is counted once. */
    private final class Foreign extends ForwardingIoHandler.Registration {
        private boolean counted = true;
        private final IoHandle handle;

        Foreign(IoRegistration delegate, IoHandle handle) {
            super(delegate);
            this.handle = handle;
        }

        @Override
        public boolean cancel() {
            boolean cancelled = delegate.cancel();
            if (counted) {
                counted = false;
                registered--;
                byHandle.remove(handle);
            }
            return cancelled;
        }
    }
}
