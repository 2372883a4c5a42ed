package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * A TCP handle's socket options (libuv's {@code uv_tcp_nodelay}, {@code uv_tcp_keepalive},
 * {@code uv_send_buffer_size}/{@code uv_recv_buffer_size}): applied to the socket when it exists,
 * stored and applied when it is made otherwise. As libuv keeps them in the handle's flags, they are
 * stored in one int of the handle ({@code TCP.socketOptions}: two flags and the keepalive delay), so a
 * connection carries no options object.
 */
final class TcpOptions {
    private static final int MAX_KEEPALIVE_DELAY = 32767; // Linux's TCP_KEEPIDLE limit
    private static final int NODELAY = 1;
    private static final int KEEPALIVE = 2;
    private static final int DELAY_SHIFT = 2;
    /** The delay kept when none was given in range: libuv's default. */
    private static final int DEFAULT_DELAY = 60;

    private TcpOptions() {
    }

    private static boolean streamSocket(TCP tcp) {
        return tcp.channel != null && !(tcp.channel instanceof ServerChannel);
    }

    private static void store(TCP tcp, int flag, boolean on) {
        tcp.socketOptions = on ? tcp.socketOptions | flag : tcp.socketOptions & ~flag;
    }

    static void nodelay(TCP tcp, boolean enable) {
        if (streamSocket(tcp)) {
            setNoDelay(tcp, tcp.channel, enable);
        }
        store(tcp, NODELAY, enable);
    }

    private static void setNoDelay(TCP tcp, Channel ch, boolean enable) {
        try {
            ch.config().setOption(ChannelOption.TCP_NODELAY, enable);
        } catch (RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    static void keepalive(TCP tcp, boolean enable, int delaySeconds) {
        if (streamSocket(tcp)) {
            applyKeepAlive(tcp, tcp.channel, enable, delaySeconds);
        }
        int delay = delaySeconds >= 1 && delaySeconds <= MAX_KEEPALIVE_DELAY ? delaySeconds : DEFAULT_DELAY;
        tcp.socketOptions = (tcp.socketOptions & (NODELAY | KEEPALIVE)) | (delay << DELAY_SHIFT);
        store(tcp, KEEPALIVE, enable);
    }

    private static void applyKeepAlive(TCP tcp, Channel ch, boolean enable, int delaySeconds) {
        if (enable && (delaySeconds < 1 || delaySeconds > MAX_KEEPALIVE_DELAY)) {
            throw tcp.error(Errno.UV_EINVAL);
        }
        try {
            tcp.loop.transport().setKeepAlive(ch, enable, delaySeconds);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    /** The stored options, on a new stream channel. */
    static void configure(TCP tcp, Channel ch) {
        // Netty turns TCP_NODELAY on for every new socket; libuv leaves it off unless asked.
        int o = tcp.socketOptions;
        setNoDelay(tcp, ch, (o & NODELAY) != 0);
        if ((o & KEEPALIVE) != 0) {
            applyKeepAlive(tcp, ch, true, o >>> DELAY_SHIFT);
        }
    }

    static int getBufferSize(TCP tcp, boolean send) {
        requireOpenSocket(tcp);
        try {
            return tcp.loop.transport().getBufferSize(tcp.channel, send);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    static void setBufferSize(TCP tcp, boolean send, int size) {
        requireOpenSocket(tcp);
        if (size == 0) {
            return;
        }
        try {
            // A negative C int is a huge unsigned value to the kernel, which clamps it to its maximum.
            tcp.loop.transport().setBufferSize(tcp.channel, send, size < 0 ? Integer.MAX_VALUE : size);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    private static void requireOpenSocket(TCP tcp) {
        if (tcp.channel == null || tcp.closing()) {
            throw tcp.error(Errno.UV_EBADF);
        }
    }
}
