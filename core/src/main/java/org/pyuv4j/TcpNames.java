package org.pyuv4j;

import io.netty.channel.ServerChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import org.pyuv4j.internal.ErrnoMapper;

/** {@link TCP#getsockname()} and {@link TCP#getpeername()}: the socket's addresses, as libuv reports them. */
final class TcpNames {
    private TcpNames() {
    }

    static Address local(TCP tcp) {
        checkNamable(tcp);
        InetSocketAddress a;
        try {
            a = tcp.loop.transport().localAddress(tcp.channel);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
        if (a == null) {
            a = new InetSocketAddress(tcp.family == StandardProtocolFamily.INET6 ? "::" : "0.0.0.0", 0);
        }
        return Address.fromInetSocketAddress(a, tcp.family == StandardProtocolFamily.INET6);
    }

    static Address peer(TCP tcp) {
        checkNamable(tcp);
        InetSocketAddress a;
        try {
            a = tcp.channel instanceof ServerChannel ? null : tcp.loop.transport().remoteAddress(tcp.channel);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
        if (a == null) {
            throw tcp.error(Errno.UV_ENOTCONN);
        }
        return Address.fromInetSocketAddress(a, tcp.family == StandardProtocolFamily.INET6);
    }

    /** A deferred bind error (EADDRINUSE) first, then EINVAL without a socket. */
    private static void checkNamable(TCP tcp) {
        if (tcp.delayedError != 0) {
            throw tcp.error(tcp.delayedError);
        }
        if (tcp.channel == null) {
            throw tcp.error(Errno.UV_EINVAL);
        }
    }
}
