package org.pyuv4j;

import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.ErrnoMapper;
import org.pyuv4j.spi.Transport;

/**
 * {@link TCP#wrap} and {@link TCP#open}: a user's connected Netty channel, or a socket descriptor,
 * becomes a TCP handle. A channel of this loop is adopted at once; one of another event loop is deregistered there and registered here, and
 * meanwhile the handle is "connecting" (its writes wait, in order), so that no handle is touched by
 * a thread that does not own it.
 */
final class TcpAdoption {
    /** The pending "connect" of a channel being moved to the loop. */
    private static final StatusCallback<TCP> MOVING = (h, e) -> { };

    private TcpAdoption() {
    }

    /** {@link TCP#wrap}. */
    static TCP wrap(Loop loop, SocketChannel channel) {
        loop.checkThread();
        loop.checkOpen();
        if (!loop.getSocketChannelClass().isInstance(channel)) {
            throw new TCPError(Errno.UV_EINVAL, "a " + channel.getClass().getSimpleName()
                    + " is not a channel of this loop's transport (" + loop.getTransport() + ")");
        }
        if (!channel.isActive()) {
            throw new TCPError(Errno.UV_ENOTCONN);
        }
        TCP tcp = new TCP(loop);
        adopt(tcp, channel);
        return tcp;
    }

    /** {@link TCP#open}: the handle takes over a socket descriptor (libuv's uv_tcp_open). */
    static void open(TCP tcp, int fd) {
        Transport.Opened opened;
        try {
            if (tcp.channel != null) {
                if (tcp.loop.transport().fileno(tcp.channel) == fd) {
                    return;
                }
                throw tcp.error(Errno.UV_EBUSY);
            }
            opened = tcp.loop.transport().open(fd);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e), e instanceof UVError ? ((UVError) e).detail() : e.getMessage());
        }
        tcp.channel = opened.channel();
        tcp.family = opened.family();
        tcp.readable = true;
        tcp.writable = true;
        if (!(tcp.channel instanceof ServerChannel)) {
            tcp.attach(tcp.channel);
            if (opened.connected()) {
                tcp.connected = true;
                tcp.connectConfirmed = true;
                tcp.ensureRegistered();
            }
        }
    }

    static boolean moving(TCP tcp) {
        return tcp.connectCallback == MOVING;
    }

    static void adopt(TCP tcp, SocketChannel ch) {
        tcp.channel = ch;
        InetSocketAddress local = ch.localAddress();
        tcp.family = local != null && local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        tcp.readable = true;
        tcp.writable = true;
        tcp.connectConfirmed = true;
        ch.config().setAutoRead(false);
        if (ch.isRegistered() && ch.eventLoop() == tcp.loop.io) {
            arrive(tcp, ch);
            return;
        }
        // Another event loop's (or none): moved here; meanwhile a connect is pending, as far as writes care.
        tcp.connectCallback = MOVING;
        tcp.loop.activeReqs++;
        if (!ch.isRegistered()) {
            tcp.loop.post(() -> moved(tcp, ch, null));
            return;
        }
        // The promise is this loop's: its listener runs here, whatever becomes of the other event loop.
        ChannelPromise left = new DefaultChannelPromise(ch, tcp.loop.io);
        left.addListener(f -> moved(tcp, ch, f.cause()));
        ch.deregister(left);
    }

    /** On the loop's thread: the channel left its event loop (or failed to). */
    private static void moved(TCP tcp, SocketChannel ch, Throwable failure) {
        if (tcp.closing() || !moving(tcp)) {
            ch.unsafe().closeForcibly(); // the handle closed meanwhile: the channel goes too (no loop has it now)
            return;
        }
        tcp.connectCallback = null;
        tcp.loop.activeReqs--;
        if (failure == null) {
            tcp.registered = false;
            tcp.ensureRegistered();
            arrive(tcp, ch);
            tcp.connectSucceeded();
        }
        tcp.afterConnectCallback(failure == null);
    }

    /** The channel is on the loop: pyuv4j's settings and handler, then it is a connected stream. */
    private static void arrive(TCP tcp, SocketChannel ch) {
        tcp.registered = true;
        tcp.connected = true;
        tcp.attach(ch);
        tcp.loop.adoptChannel(ch);
    }
}
