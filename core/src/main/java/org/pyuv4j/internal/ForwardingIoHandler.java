package org.pyuv4j.internal;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.function.UnaryOperator;

/**
 * A Netty {@link IoHandler} that forwards every call to another, for the transports that change one
 * thing in Netty's handler (epoll: idle descriptors stay registered; NIO: closed sockets are closed at
 * once). Internal.
 */
public abstract class ForwardingIoHandler implements IoHandler {
    /** The handler every call goes to. */
    protected final IoHandler delegate;

    /**
     * Forwards every call to {@code delegate}.
     *
     * @param delegate the handler every call goes to
     */
    protected ForwardingIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    /**
     * Wraps every handler that {@code factory} makes.
     *
     * @param factory Netty's handler factory
     * @param wrapper makes the forwarding handler around each handler {@code factory} makes
     * @return a factory of wrapped handlers
     */
    public static IoHandlerFactory wrap(IoHandlerFactory factory, UnaryOperator<IoHandler> wrapper) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor ioExecutor) {
                return wrapper.apply(factory.newHandler(ioExecutor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return delegate.run(context);
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** An {@link IoRegistration} that forwards every call to another. */
    public abstract static class Registration implements IoRegistration {
        /** The registration every call goes to. */
        protected final IoRegistration delegate;

        /**
         * Forwards every call to {@code delegate}.
         *
         * @param delegate the registration every call goes to
         */
        protected Registration(IoRegistration delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T attachment() {
            return delegate.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            return delegate.submit(ops);
        }

        @Override
        public boolean isValid() {
            return delegate.isValid();
        }

        @Override
        public boolean cancel() {
            return delegate.cancel();
        }
    }
}
