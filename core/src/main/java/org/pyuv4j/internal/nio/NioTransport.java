package org.pyuv4j.internal.nio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;
import org.pyuv4j.spi.Transport;

/**
 * The portable transport: Netty NIO over JDK channels. The JDK has no descriptors, no IPV6_V6ONLY and
 * no bind-without-listen for server sockets; this class works around the last (a bound client socket
 * is swapped for a server socket on the same address at listen time) and reports the others as
 * {@code UV_ENOTSUP}. Internal.
 */
public final class NioTransport extends Transport {
    /** Linux reports twice the SO_SNDBUF/SO_RCVBUF set; the JDK halves it back, libuv does not. */
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final int BUFFER_SCALE = LINUX ? 2 : 1;

    static {
        // The JDK's FileDispatcherImpl opens a socket pair in its static initializer, which runs at the
        // first close of any NIO channel. Get that done now: otherwise the first close may come while the
        // process is out of descriptors (the EMFILE trick closes the connections it sheds), and the class
        // would then fail to initialise for good, breaking every later close.
        try {
            SocketChannel.open().close();
        } catch (IOException | RuntimeException ignored) {
            // no sockets at all: the transport will report that when used
        }
    }

    /** The transport every JVM has; made once by {@link org.pyuv4j.internal.Transports}. */
    public NioTransport() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Throwable unavailabilityCause() {
        return null;
    }

    @Override
    public Class<? extends io.netty.channel.socket.SocketChannel> socketChannelClass() {
        return NioSocketChannel.class;
    }

    @Override
    public Class<? extends io.netty.channel.socket.ServerSocketChannel> serverSocketChannelClass() {
        return NioServerSocketChannel.class;
    }

    @Override
    public IoHandlerFactory newIoHandlerFactory() {
        return PromptCloseIoHandler.factory();
    }

    @Override
    public Channel newSocket(StandardProtocolFamily family) throws IOException {
        return new UvNioSocketChannel(SocketChannel.open(family));
    }

    @Override
    public Channel bind(Channel socket, InetSocketAddress address, boolean ipv6Only, boolean reusePort) throws IOException {
        if (ipv6Only) {
            throw new UVError(Errno.UV_ENOTSUP, "IPV6ONLY needs a native transport (the JDK has no IPV6_V6ONLY)");
        }
        Channel bound = socket;
        SocketChannel ch = jdk(socket);
        if (refusedOnInet(address) && !((UvNioSocketChannel) socket).dualStack) {
            bound = dualStackTwin((UvNioSocketChannel) socket);
            ch = jdk(bound);
        }
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (reusePort) {
            setReusePort(ch);
            ((UvNioSocketChannel) bound).reusePort = true; // the listener that takes the address over sets it too
        }
        try {
            ch.bind(address);
        } catch (IOException | RuntimeException e) {
            if (bound != socket) {
                bound.unsafe().closeForcibly();
            }
            throw e;
        }
        if (bound != socket) {
            socket.unsafe().closeForcibly();
        }
        return bound;
    }

    /** SO_REUSEPORT where the kernel balances with it (Linux); libuv says ENOTSUP elsewhere, so do we. */
    private static void setReusePort(NetworkChannel ch) throws IOException {
        if (!LINUX || !ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new UVError(Errno.UV_ENOTSUP, "REUSEPORT: this kernel does not balance connections over"
                    + " SO_REUSEPORT sockets (libuv supports it on Linux and FreeBSD)");
        }
        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }

    /**
     * The JDK refuses to bind an AF_INET socket to 127.x.y.255 on Linux (an old workaround in its
     * NET_Bind, EADDRNOTAVAIL without calling bind(2)); the kernel allows it, and so does libuv. The
     * JDK binds such an address on an AF_INET6 socket, as the IPv4-mapped address.
     */
    private static boolean refusedOnInet(InetSocketAddress address) {
        byte[] a = address.getAddress().getAddress();
        return LINUX && a.length == 4 && a[0] == 127 && a[3] == (byte) 255;
    }

    /** A dual-stack (AF_INET6) socket that carries an IPv4 handle's options over. */
    private static UvNioSocketChannel dualStackTwin(UvNioSocketChannel inet) throws IOException {
        SocketChannel twin = SocketChannel.open(StandardProtocolFamily.INET6);
        try {
            SocketChannel old = inet.jdk();
            for (SocketOption<Integer> o : List.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF)) {
                // only what the user changed: setting a buffer size turns the kernel's autotuning off
                if (!old.getOption(o).equals(twin.getOption(o))) {
                    twin.setOption(o, old.getOption(o));
                }
            }
        } catch (IOException | RuntimeException e) {
            twin.close();
            throw e;
        }
        return new UvNioSocketChannel(twin, true);
    }

    @Override
    public ServerChannel listen(Channel socket, StandardProtocolFamily family, int backlog) throws IOException {
        SocketAddress bound = null;
        if (socket != null) {
            SocketChannel ch = jdk(socket);
            bound = ch.getLocalAddress();
            // A bound, unconnected TCP socket frees its port on close, so the server can take it over.
            ch.close();
        }
        boolean dualStack = socket != null && ((UvNioSocketChannel) socket).dualStack;
        boolean reusePort = socket != null && ((UvNioSocketChannel) socket).reusePort;
        ServerSocketChannel server = ServerSocketChannel.open(dualStack ? StandardProtocolFamily.INET6 : family);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                setReusePort(server);
            }
            // The JDK turns 0 into its own default (50); 1 is the closest to listen(fd, 0).
            server.bind(bound, Math.max(1, backlog));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new UvNioServerSocketChannel(server);
    }

    @Override
    public Opened open(int fd) {
        throw new UVError(Errno.UV_ENOTSUP, "open(fd) needs a native transport (epoll or kqueue); NIO cannot wrap a descriptor");
    }

    @Override
    public int fileno(Channel channel) {
        throw new UVError(Errno.UV_ENOTSUP, "fileno() needs a native transport (epoll or kqueue); NIO hides descriptors");
    }

    @Override
    public int tryWrite(Channel channel, ByteBuf data) throws IOException {
        return jdk(channel).write(data.nioBuffer());
    }

    @Override
    public void acceptAndCloseAll(ServerChannel server) throws IOException {
        ServerSocketChannel ch = ((UvNioServerSocketChannel) server).jdk();
        SocketChannel accepted;
        while ((accepted = ch.accept()) != null) {
            accepted.close();
        }
    }

    @Override
    public InetSocketAddress localAddress(Channel channel) throws IOException {
        InetSocketAddress local = (InetSocketAddress) network(channel).getLocalAddress();
        if (local == null && channel instanceof UvNioSocketChannel c && c.jdk().isConnectionPending()) {
            local = ConnectingName.of(c.jdk()); // the kernel bound it in connect(2); the JDK does not know yet
        }
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress(Channel channel) throws IOException {
        if (channel instanceof ServerChannel) {
            return null;
        }
        return (InetSocketAddress) jdk(channel).getRemoteAddress();
    }

    @Override
    public void setKeepAlive(Channel channel, boolean enable, int delaySeconds) throws IOException {
        SocketChannel ch = jdk(channel);
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, enable);
        if (enable) {
            try {
                ch.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, delaySeconds);
            } catch (IllegalArgumentException e) {
                throw new UVError(Errno.UV_EINVAL, e.getMessage(), e);
            }
        }
    }

    @Override
    public int getBufferSize(Channel channel, boolean send) throws IOException {
        return network(channel).getOption(bufferOption(send)) * BUFFER_SCALE;
    }

    @Override
    public void setBufferSize(Channel channel, boolean send, int size) throws IOException {
        try {
            network(channel).setOption(bufferOption(send), size);
        } catch (IllegalArgumentException e) {
            throw new UVError(Errno.UV_EINVAL, e.getMessage(), e);
        }
    }

    private static SocketOption<Integer> bufferOption(boolean send) {
        return send ? StandardSocketOptions.SO_SNDBUF : StandardSocketOptions.SO_RCVBUF;
    }

    private static SocketChannel jdk(Channel channel) {
        if (channel instanceof UvNioSocketChannel c) {
            return c.jdk();
        }
        return (SocketChannel) JavaChannel.of(channel); // a user's NioSocketChannel adopted by TCP.wrap
    }

    private static NetworkChannel network(Channel channel) {
        if (channel instanceof UvNioServerSocketChannel) {
            return ((UvNioServerSocketChannel) channel).jdk();
        }
        return jdk(channel);
    }
}
