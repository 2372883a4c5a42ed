package org.pyuv4j.transport.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;
import org.pyuv4j.spi.Transport;

/**
 * What the native transports share: raw socket calls on Netty's {@link Socket} (bind without
 * listen, listen on a bound socket, descriptors, writes without queueing). epoll, kqueue and io_uring
 * differ only in channel classes, a few socket-option numbers and (io_uring) priority.
 */
public abstract class UnixTransport extends Transport {
    private static final int SOL_SOCKET_LINUX = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_IPV6 = 41;

    /**
     * What differs between the native transports: names, socket-option numbers and channel classes.
     *
     * @param name            the transport's name
     * @param ipv6Only        IPV6_V6ONLY's number on this OS
     * @param keepIdle        the TCP-level keepalive idle option (TCP_KEEPIDLE, or TCP_KEEPALIVE on macOS)
     * @param acceptConn      SO_ACCEPTCONN's number
     * @param solSocket       SOL_SOCKET's number
     * @param reusePortOpt    the socket option that balances connections over sockets sharing a port
     *                        (SO_REUSEPORT on Linux, SO_REUSEPORT_LB on FreeBSD), 0 where there is none
     * @param newStream       a new unregistered stream channel with its own socket
     * @param wrapStream      a stream channel owning a descriptor (Netty treats it as connected)
     * @param wrapServer      a server channel owning a listening descriptor
     * @param activeFlagOwner the channel class that declares Netty's {@code active} flag
     * @param streamClass     the stream channel class, for users' bootstraps
     * @param serverClass     the server channel class, for users' bootstraps
     */
    public record Natives(String name, int ipv6Only, int keepIdle, int acceptConn, int solSocket, int reusePortOpt,
                             Function<SocketProtocolFamily, Channel> newStream, IntFunction<Channel> wrapStream,
                             IntFunction<ServerChannel> wrapServer, Class<?> activeFlagOwner,
                             Class<? extends SocketChannel> streamClass, Class<? extends ServerSocketChannel> serverClass) {
    }

    private final Natives natives;

    /**
     * For the epoll, kqueue and io_uring transports.
     *
     * @param natives what differs between them
     */
    protected UnixTransport(Natives natives) {
        this.natives = natives;
    }

    @Override
    public final String name() {
        return natives.name();
    }

    /** {@return 100: epoll and kqueue are preferred over NIO wherever their native library loads} */
    @Override
    public final Class<? extends SocketChannel> socketChannelClass() {
        return natives.streamClass();
    }

    @Override
    public final Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return natives.serverClass();
    }

    @Override
    public int priority() {
        return 100; // preferred over NIO wherever the native library loads
    }

    /**
     * {@return a {@link Socket} for probing {@code fd} without owning it}
     *
     * @param fd a socket descriptor the caller owns
     */
    protected Socket probe(int fd) {
        return new Socket(fd);
    }

    /**
     * The native socket under a channel.
     *
     * @param channel a channel of a native transport
     * @return its socket, owned by the channel
     */
    protected static Socket socket(Channel channel) {
        return (Socket) ((UnixChannel) channel).fd();
    }

    @Override
    public Channel newSocket(StandardProtocolFamily family) throws IOException {
        try {
            return natives.newStream().apply(family == StandardProtocolFamily.INET6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        } catch (ChannelException e) {
            // Netty reports a failed socket(2) (EMFILE, ENFILE...) as an unchecked ChannelException around the
            // errno; the SPI promises the IOException, which TCP turns into TCPError(errno) as libuv does.
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }

    @Override
    public Channel bind(Channel channel, InetSocketAddress address, boolean ipv6Only, boolean reusePort) throws IOException {
        Socket s = socket(channel);
        s.setReuseAddress(true);
        if (reusePort) {
            if (natives.reusePortOpt() == 0) {
                throw new UVError(Errno.UV_ENOTSUP, "REUSEPORT: this kernel does not balance connections over"
                        + " SO_REUSEPORT sockets (libuv supports it on Linux and FreeBSD)");
            }
            s.setIntOpt(natives.solSocket(), natives.reusePortOpt(), 1);
        }
        if (address.getAddress() instanceof Inet6Address) {
            s.setIntOpt(IPPROTO_IPV6, natives.ipv6Only(), ipv6Only ? 1 : 0);
        }
        s.bind(address);
        return channel;
    }

    @Override
    public ServerChannel listen(Channel channel, StandardProtocolFamily family, int backlog) throws IOException {
        Socket s = socket(channel);
        s.listen(backlog);
        if (channel instanceof ServerChannel) {
            return (ServerChannel) channel; // opened from a listening descriptor: listen(2) again is fine
        }
        // The stream channel that held the socket is dropped unregistered; the server owns the fd now.
        return natives.wrapServer().apply(s.intValue());
    }

    @Override
    public Opened open(int fd) throws IOException {
        if (fd < 0) {
            throw new UVError(Errno.UV_EBADF);
        }
        Socket probe = probe(fd);
        InetSocketAddress local = probe.localAddress(); // fails with EBADF/ENOTSOCK for a bad descriptor
        StandardProtocolFamily family = family(probe, local);
        NonBlocking.set(fd); // libuv's uv_tcp_open does this; a blocking fd would stall the loop
        boolean listening = probe.getIntOpt(natives.solSocket(), natives.acceptConn()) != 0;
        if (listening) {
            return new Opened(natives.wrapServer().apply(fd), family, false);
        }
        boolean connected = probe.remoteAddress() != null;
        Channel ch = natives.wrapStream().apply(fd);
        if (!connected) {
            markInactive(ch);
        }
        return new Opened(ch, family, connected);
    }

    private StandardProtocolFamily family(Socket probe, InetSocketAddress local) throws IOException {
        if (natives.solSocket() == SOL_SOCKET_LINUX) {
            int domain = probe.getIntOpt(SOL_SOCKET_LINUX, 39 /* SO_DOMAIN */);
            return domain == 10 /* AF_INET6 */ ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        return local != null && local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * Netty's fd constructors call any socket without a pending error "active"; an unconnected one
     * must not be, or a later connect() is refused as "already connected".
     */
    private void markInactive(Channel ch) {
        try {
            Field active = natives.activeFlagOwner().getDeclaredField("active");
            active.setAccessible(true);
            active.setBoolean(ch, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            ch.unsafe().closeForcibly();
            throw new UVError(Errno.UV_ENOTSUP, "cannot open an unconnected descriptor with this Netty version: " + e, e);
        }
    }

    @Override
    public int fileno(Channel channel) {
        if (channel == null) {
            throw new UVError(Errno.UV_EBADF);
        }
        return ((UnixChannel) channel).fd().intValue();
    }

    @Override
    public int tryWrite(Channel channel, ByteBuf data) throws IOException {
        Socket s = socket(channel);
        if (data.hasMemoryAddress()) {
            return s.writeAddress(data.memoryAddress(), data.readerIndex(), data.writerIndex());
        }
        java.nio.ByteBuffer nio = data.internalNioBuffer(data.readerIndex(), data.readableBytes());
        return s.write(nio, nio.position(), nio.limit());
    }

    @Override
    public void acceptAndCloseAll(ServerChannel server) throws IOException {
        Socket s = socket(server);
        byte[] address = new byte[26];
        int fd;
        while ((fd = s.accept(address)) >= 0) {
            new FileDescriptor(fd).close();
        }
    }

    @Override
    public InetSocketAddress localAddress(Channel channel) {
        return socket(channel).localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress(Channel channel) {
        return socket(channel).remoteAddress();
    }

    @Override
    public void setKeepAlive(Channel channel, boolean enable, int delaySeconds) throws IOException {
        Socket s = socket(channel);
        s.setKeepAlive(enable);
        if (enable) {
            s.setIntOpt(IPPROTO_TCP, natives.keepIdle(), delaySeconds);
        }
    }

    @Override
    public int getBufferSize(Channel channel, boolean send) throws IOException {
        Socket s = socket(channel);
        return send ? s.getSendBufferSize() : s.getReceiveBufferSize();
    }

    @Override
    public void setBufferSize(Channel channel, boolean send, int size) throws IOException {
        Socket s = socket(channel);
        if (send) {
            s.setSendBufferSize(size);
        } else {
            s.setReceiveBufferSize(size);
        }
    }
}
