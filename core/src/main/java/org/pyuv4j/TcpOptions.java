package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import org.pyuv4j.internal.ErrnoMapper;

/**
 * A TCP handle's socket options (libuv's {@code uv_tcp_nodelay}, {@code uv_tcp_keepalive},
 * {@code uv_send_buffer_size}/{@code uv_recv_buffer_size}): applied to the socket when it exists,
 * stored and applied when it is made otherwise, as libuv stores them in the handle's flags.
 */
final class TcpOptions {
    private static final int MAX_KEEPALIVE_DELAY = 32767; // Linux's TCP_KEEPIDLE limit

    private final TCP tcp;
    private boolean noDelay;
    private boolean keepAlive;
    private int keepAliveDelay = 60;

    TcpOptions(TCP tcp) {
        this.tcp = tcp;
    }

    private boolean streamSocket() {
        return tcp.channel != null && !(tcp.channel instanceof ServerChannel);
    }

    void nodelay(boolean enable) {
        if (streamSocket()) {
            setNoDelay(tcp.channel, enable);
        }
        noDelay = enable;
    }

    private void setNoDelay(Channel ch, boolean enable) {
        try {
            ch.config().setOption(ChannelOption.TCP_NODELAY, enable);
        } catch (RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    void keepalive(boolean enable, int delaySeconds) {
        if (streamSocket()) {
            applyKeepAlive(tcp.channel, enable, delaySeconds);
        }
        keepAlive = enable;
        keepAliveDelay = delaySeconds;
    }

    private void applyKeepAlive(Channel ch, boolean enable, int delaySeconds) {
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
    void configure(Channel ch) {
        // Netty turns TCP_NODELAY on for every new socket; libuv leaves it off unless asked.
        setNoDelay(ch, noDelay);
        if (keepAlive) {
            int delay = keepAliveDelay >= 1 && keepAliveDelay <= MAX_KEEPALIVE_DELAY ? keepAliveDelay : 60;
            applyKeepAlive(ch, true, delay);
        }
    }

    int getBufferSize(boolean send) {
        requireOpenSocket();
        try {
            return tcp.loop.transport().getBufferSize(tcp.channel, send);
        } catch (IOException | RuntimeException e) {
            throw tcp.error(ErrnoMapper.errno(e));
        }
    }

    void setBufferSize(boolean send, int size) {
        requireOpenSocket();
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

    private void requireOpenSocket() {
        if (tcp.channel == null || tcp.closing()) {
            throw tcp.error(Errno.UV_EBADF);
        }
    }
}
