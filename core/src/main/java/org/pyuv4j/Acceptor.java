package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.util.ArrayDeque;
import org.pyuv4j.internal.EmfileReserve;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * The listening side of a {@link Stream} (libuv's {@code uv__server_io}, {@code uv_accept},
 * {@code uv__emfile_trick}): connections Netty accepted, offered to the listen callback one at a time.
 *
 * <p>libuv keeps one accepted descriptor ({@code accepted_fd}) for {@code accept()} and stops polling
 * the listener until it is taken; here the server channel's auto-read plays that part, and
 * connections Netty accepted in the same read batch wait in {@link #incoming}, in order.
 *
 * <p>Ownership: an accepted channel belongs to the acceptor until {@link #take()} hands it to a
 * client handle; the acceptor closes what was never taken when the listener closes.
 *
 * @param <H> the stream type
 */
final class Acceptor<H extends Stream<H>> {
    private final Stream<H> server;
    private final Loop loop;
    StatusCallback<H> callback;
    /** libuv's accepted_fd: the connection offered to the listen callback, waiting for accept(). */
    private Channel offered;
    private ArrayDeque<Channel> incoming;
    private final Runnable offerTask = this::offer;

    Acceptor(Stream<H> server, StatusCallback<H> callback) {
        this.server = server;
        this.loop = server.loop;
        this.callback = callback;
    }

    private boolean open() {
        return server.listening && !server.closing();
    }

    /** Netty accepted {@code child}. */
    void onIncoming(Channel child) {
        EmfileReserve.ensure();
        if (!open()) {
            Stream.forceClose(child);
            return;
        }
        if (incoming == null) {
            incoming = new ArrayDeque<>(4);
        }
        incoming.add(child);
        if (offered == null && loop.canCallNow()) {
            offer();
            return;
        }
        server.channel.config().setAutoRead(false);
        if (offered == null) {
            loop.feed(offerTask);
        }
    }

    /** Announces queued connections one at a time while the callback keeps accepting them. */
    private void offer() {
        while (offered == null && incoming != null && !incoming.isEmpty() && open()) {
            offered = incoming.poll();
            loop.callbacks.invoke(callback, server.self(), null);
        }
        if (open()) {
            // libuv stops polling the listen socket while a connection waits for accept().
            server.channel.config().setAutoRead(offered == null);
        }
    }

    /** @return the offered connection, now the caller's, or null when none is offered */
    Channel take() {
        Channel child = offered;
        if (child != null) {
            offered = null;
            if (incoming != null && !incoming.isEmpty()) {
                loop.post(offerTask); // this poll phase, or the next if offering already runs
            } else if (server.listening) {
                server.channel.config().setAutoRead(true);
            }
        }
        return child;
    }

    /** accept(2) failed with {@code cause}. */
    void onError(Throwable cause) {
        int err = ErrnoMapper.errno(cause);
        if (err == Errno.UV_ECONNABORTED || err == Errno.UV_EAGAIN || !open()) {
            return;
        }
        if (err == Errno.UV_EMFILE || err == Errno.UV_ENFILE) {
            // libuv's uv__emfile_trick: shed the backlog; the callback hears of it only if that fails.
            ServerChannel listener = (ServerChannel) server.channel;
            err = EmfileReserve.shedBacklog(() -> loop.transport().acceptAndCloseAll(listener));
            if (err == 0) {
                return;
            }
        }
        Integer error = err;
        if (loop.canCallNow()) {
            loop.callbacks.invoke(callback, server.self(), error);
        } else {
            loop.feed(() -> {
                if (open()) {
                    loop.callbacks.invoke(callback, server.self(), error);
                }
            });
        }
    }

    /** close(): connections never taken are closed. */
    void close() {
        if (offered != null) {
            Stream.forceClose(offered);
            offered = null;
        }
        if (incoming != null) {
            for (Channel c : incoming) {
                Stream.forceClose(c);
            }
            incoming = null;
        }
    }
}
