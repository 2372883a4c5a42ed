package org.pyuv4j;

import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.socket.SocketChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * {@link TCP#wrap}: a user's connected Netty channel becomes a TCP handle. A channel of this loop
 * is adopted at once; one of another event loop is deregistered there and registered here, and
 * meanwhile the handle is "connecting" (its writes wait, in order), so that no handle is touched by
 * a thread that does not own it.
 */
final class TcpAdoption {
    /** The pending "connect" of a channel being moved to the loop. */
    private static final StatusCallback<TCP> MOVING = (h, e) -> { };

    private TcpAdoption() {
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
