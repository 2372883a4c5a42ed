package org.pyuv4j.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * A Netty transport as pyuv4j drives it: the I/O handler for the loop plus the few socket
 * operations Netty's channel API does not offer (bind without listen, listen on an existing
 * socket, wrap an fd, write without queueing). Everything else (the loop, the callbacks, the
 * handle state machines) is transport-independent and lives in {@code org.pyuv4j}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: a jar that lists one in
 * {@code META-INF/services/org.pyuv4j.spi.Transport} adds it. NIO is built into the core.
 *
 * <p>This is a service-provider interface, not application API. All socket methods are called
 * on the loop thread; channels passed in were created by the same transport. Methods report
 * OS errors by throwing {@link IOException} (or {@link org.pyuv4j.error.UVError} for conditions
 * that have no OS error); the caller maps them to errno in one place.
 */
public abstract class Transport {
    /**
     * The name prefix of handlers a transport puts at the head of its channels' pipelines (handlers
     * that write to the socket themselves, for instance). pyuv4j keeps them at the head: TLS and the
     * user's {@code addFirst} go after them, so that everything written passes through what is between
     * them and the tail.
     */
    public static final String HEAD_HANDLER_PREFIX = "pyuv4j-transport-";
    /** For subclasses; an instance is made by {@link java.util.ServiceLoader} through a public no-argument constructor. */
    protected Transport() {
    }

    /** {@return the name {@code new Loop(name)} accepts: "epoll", "kqueue", "nio", ...} */
    public abstract String name();

    /** {@return preference of {@code new Loop()} among available transports; higher wins} */
    public abstract int priority();

    /** {@return why this transport cannot run here, or {@code null} when it can} */
    public abstract Throwable unavailabilityCause();

    /** {@return the stream channel class a user's {@code Bootstrap} uses on this transport} */
    public abstract Class<? extends SocketChannel> socketChannelClass();

    /** {@return the server channel class a user's {@code ServerBootstrap} uses on this transport} */
    public abstract Class<? extends ServerSocketChannel> serverSocketChannelClass();

    /** {@return a factory for the loop's I/O handler} */
    public abstract IoHandlerFactory newIoHandlerFactory();

    /**
     * Creates an unregistered, unconnected stream channel with a fresh socket of the given family.
     *
     * @param family INET or INET6
     * @return the channel
     * @throws IOException when the socket cannot be created
     */
    public abstract Channel newSocket(StandardProtocolFamily family) throws IOException;

    /**
     * Binds a socket from {@link #newSocket} without listening: sets SO_REUSEADDR, SO_REUSEPORT (or
     * the kernel's load-balancing variant) when asked, and for IPv6 addresses IPV6_V6ONLY to
     * {@code ipv6Only} (explicitly, as libuv does).
     *
     * @param socket    an unregistered channel from {@link #newSocket}
     * @param address   the local address
     * @param ipv6Only  IPV6_V6ONLY for an IPv6 address
     * @param reusePort libuv's {@code UV_TCP_REUSEPORT}: several sockets share the address and the
     *                  kernel balances connections between them; {@code UVError(UV_ENOTSUP)} where it
     *                  does not balance (macOS), as libuv
     * @return the channel that now holds the bound socket: {@code socket}, or a replacement (of the same
     *     family as far as the caller can tell) that the caller adopts, {@code socket} being closed
     * @throws IOException the OS error (EADDRINUSE included: the caller defers it)
     */
    public abstract Channel bind(Channel socket, InetSocketAddress address, boolean ipv6Only, boolean reusePort)
            throws IOException;

    /**
     * Makes a listening server channel. {@code socket} is the handle's current socket from
     * {@link #newSocket}, bound or not; the returned channel takes it over (or replaces it).
     *
     * @param socket  the socket to listen on
     * @param family  its family
     * @param backlog listen(2) backlog
     * @return an unregistered server channel, already listening
     * @throws IOException the OS error
     */
    public abstract ServerChannel listen(Channel socket, StandardProtocolFamily family, int backlog) throws IOException;

    /**
     * Wraps an OS socket descriptor, which the returned channel then owns.
     *
     * @param fd a TCP socket descriptor, listening, connected or neither
     * @return the channel (a {@link ServerChannel} for a listening socket), unregistered
     * @throws IOException EBADF-like errors; {@code UVError(UV_ENOTSUP)} where the transport cannot do it
     */
    public abstract Opened open(int fd) throws IOException;

    /**
     * The OS descriptor under a channel (pyuv's {@code fileno()}).
     *
     * @param channel a channel of this transport
     * @return its OS descriptor
     * @throws org.pyuv4j.error.UVError {@code UV_ENOTSUP} where the transport hides descriptors
     */
    public abstract int fileno(Channel channel);

    /**
     * Writes as much of {@code data} as the socket takes now, without queueing.
     *
     * @param channel a connected stream channel
     * @param data    the bytes; its reader index is not moved
     * @return bytes written, 0 when the socket would block
     * @throws IOException the OS error
     */
    public abstract int tryWrite(Channel channel, ByteBuf data) throws IOException;

    /**
     * Accepts every pending connection of a listening channel and closes it at once (libuv's
     * answer to EMFILE: shed the backlog so clients see a close instead of a hang).
     *
     * @param server a listening channel of this transport
     * @throws IOException the error that stopped accepting, other than "would block"
     */
    public abstract void acceptAndCloseAll(ServerChannel server) throws IOException;

    /**
     * getsockname(2) on any channel of this transport, registered or not.
     *
     * @param channel the channel
     * @return the local address, or {@code null} if the socket has none
     * @throws IOException the OS error
     */
    public abstract InetSocketAddress localAddress(Channel channel) throws IOException;

    /**
     * getpeername(2).
     *
     * @param channel the channel
     * @return the peer address, or {@code null} when not connected
     * @throws IOException the OS error
     */
    public abstract InetSocketAddress remoteAddress(Channel channel) throws IOException;

    /**
     * SO_KEEPALIVE, and the keepalive idle time when enabling (TCP_KEEPIDLE, or TCP_KEEPALIVE on macOS).
     *
     * @param channel      a stream channel
     * @param enable       on or off
     * @param delaySeconds idle time before probes
     * @throws IOException the OS error
     */
    public abstract void setKeepAlive(Channel channel, boolean enable, int delaySeconds) throws IOException;

    /**
     * The socket buffer size as the kernel reports it (Linux reports twice the value set).
     *
     * @param channel any channel of this transport
     * @param send    SO_SNDBUF when true, SO_RCVBUF when false
     * @return the size
     * @throws IOException the OS error
     */
    public abstract int getBufferSize(Channel channel, boolean send) throws IOException;

    /**
     * setsockopt(SO_SNDBUF / SO_RCVBUF).
     *
     * @param channel any channel of this transport
     * @param send    SO_SNDBUF when true, SO_RCVBUF when false
     * @param size    the value passed to the kernel
     * @throws IOException the OS error
     */
    public abstract void setBufferSize(Channel channel, boolean send, int size) throws IOException;

    /**
     * A socket descriptor wrapped by {@link #open(int)}.
     *
     * @param channel   the channel that now owns the descriptor
     * @param family    the socket's family
     * @param connected whether the socket has a peer
     */
    public record Opened(Channel channel, StandardProtocolFamily family, boolean connected) {
    }
}
