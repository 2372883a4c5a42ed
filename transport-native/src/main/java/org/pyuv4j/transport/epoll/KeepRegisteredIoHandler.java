package org.pyuv4j.transport.epoll;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import org.pyuv4j.internal.ForwardingIoHandler;

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
final class KeepRegisteredIoHandler extends ForwardingIoHandler {
    private KeepRegisteredIoHandler(IoHandler delegate) {
        super(delegate);
    }

    static IoHandlerFactory wrap(IoHandlerFactory factory) {
        return ForwardingIoHandler.wrap(factory, KeepRegisteredIoHandler::new);
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Registration(delegate.register(handle));
    }

    /** Netty's registration, except that an empty interest set keeps the descriptor in epoll. */
    private static final class Registration extends ForwardingIoHandler.Registration {
        /** Netty added the descriptor to epoll (it does so on the first non-empty interest set). */
        private boolean added;

        Registration(IoRegistration delegate) {
            super(delegate);
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
    }
}
