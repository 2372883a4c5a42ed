package org.pyuv4j.transport.epoll;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Works around a Netty 4.2.18 epoll bug. When a channel's interest set becomes empty, Netty's
 * {@code EpollIoHandler} removes the descriptor from epoll (EPOLL_CTL_DEL, added by netty/netty#16689)
 * but keeps its registration marked as added, so the next non-empty interest set is applied with
 * EPOLL_CTL_MOD, which fails with ENOENT. For a TCP stream the set becomes empty once the peer's FIN has
 * been processed (no more EPOLLRDHUP), reading is stopped and no write is waiting; the next write that
 * has to wait for EPOLLOUT then failed with ENOENT (half-close: the peer shuts down, we answer with more
 * than the socket buffers hold). Found by {@code HalfCloseTest.writesThatMustWaitAfterThePeersFinAllSucceed}.
 *
 * <p>This handler wraps Netty's and changes one thing: an empty interest set for a descriptor that is
 * in epoll is submitted as EPOLLET alone. The descriptor stays registered, so the later EPOLL_CTL_MOD
 * finds it; with no event requested, epoll reports only the EPOLLERR/EPOLLHUP the kernel always
 * reports, and edge-triggered, so a dead socket cannot make the loop spin (the reason Netty deletes it).
 * Everything else is delegated unchanged.
 */
final class KeepRegisteredIoHandler implements IoHandler {
    private final IoHandler delegate;

    private KeepRegisteredIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    static IoHandlerFactory wrap(IoHandlerFactory factory) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor ioExecutor) {
                return new KeepRegisteredIoHandler(factory.newHandler(ioExecutor));
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
        return new Registration(delegate.register(handle));
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** Netty's registration, except that an empty interest set keeps the descriptor in epoll. */
    private static final class Registration implements IoRegistration {
        private final IoRegistration delegate;
        /** Netty added the descriptor to epoll (it does so on the first non-empty interest set). */
        private boolean added;

        Registration(IoRegistration delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T attachment() {
            return delegate.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            if (((EpollIoOps) ops).value() == EpollIoOps.NONE.value()) {
                if (!added) {
                    return delegate.submit(ops); // not in epoll yet: Netty leaves it out, as it should
                }
                long result = delegate.submit(EpollIoOps.EPOLLET);
                return result < 0 ? result : 0;
            }
            long result = delegate.submit(ops);
            if (result > 0) {
                added = true;
            }
            return result;
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
