package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ServerChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;
import javax.net.ssl.SSLSession;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.internal.ErrnoMapper;
import org.pyuv4j.internal.InetAddresses;
import org.pyuv4j.spi.Transport;

/**
 * A TCP socket ({@code pyuv.TCP}), client or server, with pyuv 1.4's semantics: see {@code tcp.rst}
 * and {@code pyuv-spec.md} §3-§4.
 *
 * <p>Created without a family the handle has no socket until {@link #bind}, {@link #connect} or
 * {@link #listen} makes one of the address's family ({@code listen} alone makes an IPv4 socket).
 * Socket options set before that are stored and applied to the socket when it is made. Like
 * libuv, {@code bind} sets SO_REUSEADDR and reports EADDRINUSE only later, from {@code listen}
 * or {@code getsockname}. TCP_NODELAY is off unless {@link #nodelay(boolean)} turns it on.
 */
public class TCP extends Stream<TCP> {
    /** {@code pyuv.UV_TCP_IPV6ONLY}: a {@link #bind(Address, int)} flag that disables dual stack. */
    public static final int IPV6ONLY = 1;
    /**
     * libuv 1.49's {@code UV_TCP_REUSEPORT}, a {@link #bind(Address, int)} flag (a Java addition to
     * pyuv 1.4, docs/SCALING.md): several handles, typically on several loops, bind the same address
     * and the kernel spreads incoming connections over them (SO_REUSEPORT on Linux, SO_REUSEPORT_LB
     * on FreeBSD; {@code UV_ENOTSUP} where the kernel does not balance, as on macOS).
     */
    public static final int REUSEPORT = 2;

    StandardProtocolFamily family;
    int delayedError;
    /** Linux quirk kept by libuv: see {@link #connect(Address, StatusCallback)}. */
    boolean connectConfirmed;
    /** The stored socket options (see {@link TcpOptions}). */
    int socketOptions;
    /** The TLS layer once {@link #startTls} was called. */
    TcpTls tls;
    long tlsHandshakeTimeoutMillis = 10_000;

    /**
     * A handle with no socket yet (AF_UNSPEC).
     *
     * @param loop the loop
     */
    public TCP(Loop loop) {
        this(loop, null);
    }

    /**
     * A handle of the given family.
     *
     * @param loop   the loop
     * @param family {@code INET} or {@code INET6} create the socket now; {@code null} means AF_UNSPEC
     * @throws TCPError {@code UV_EINVAL} for another family; the OS error if the socket cannot be made
     */
    public TCP(Loop loop, StandardProtocolFamily family) {
        super(loop);
        if (family == null) {
            return;
        }
        try {
            if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
                throw error(Errno.UV_EINVAL);
            }
            newSocket(family);
        } catch (RuntimeException e) {
            loop.removeHandle(this); // as libuv's uv_tcp_init_ex: a failed init leaves no handle behind
            throw e;
        }
    }

    private void newSocket(StandardProtocolFamily f) {
        Channel ch;
        try {
            ch = transport().newSocket(f);
        } catch (IOException | RuntimeException e) {
            throw error(ErrnoMapper.errno(e));
        }
        channel = ch;
        family = f;
        attach(ch);
    }

    private Transport transport() {
        return loop.transport();
    }

    // ================================================================= bind

    /**
     * {@code bind(Address.of(host, port))}.
     *
     * @param host a numeric IPv4 or IPv6 address, "" for 0.0.0.0
     * @param port 0 to 65535
     */
    public void bind(String host, int port) {
        bind(Address.of(host, port), 0);
    }

    /**
     * {@code bind(address, 0)}.
     *
     * @param address the local address
     */
    public void bind(Address address) {
        bind(address, 0);
    }

    /**
     * Binds the socket (making one of the address's family if needed). EADDRINUSE is not raised
     * here but stored, as libuv does, and raised by {@link #listen} and {@link #getsockname()}.
     *
     * @param address the local address
     * @param flags   0, {@link #IPV6ONLY}, {@link #REUSEPORT}, or both
     * @throws TCPError {@code UV_EINVAL} for unknown flags, IPV6ONLY with an IPv4 address, a second bind, or an
     *         IPv4 address on an IPv6 socket; {@code UV_ENOPROTOOPT} for an IPv6 address on an IPv4
     *         socket; the OS error otherwise
     */
    public void bind(Address address, int flags) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(address, "address");
        boolean v6 = address.isIPv6();
        InetSocketAddress sa = address.toInetSocketAddress();
        if ((flags & ~(IPV6ONLY | REUSEPORT)) != 0) {
            throw error(Errno.UV_EINVAL); // libuv 1.49 checks the flags (pyuv 1.4's libuv ignored unknown bits)
        }
        if ((flags & IPV6ONLY) != 0 && !v6) {
            throw error(Errno.UV_EINVAL);
        }
        if (channel == null) {
            newSocket(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        }
        readable = true;
        writable = true;
        if (listening || connected || connecting() || channel instanceof ServerChannel) {
            throw error(Errno.UV_EINVAL); // bind(2) on a listening or connected socket
        }
        if (family == StandardProtocolFamily.INET && v6) {
            throw error(Errno.UV_ENOPROTOOPT); // Linux fails libuv's IPV6_V6ONLY setsockopt first
        }
        if (family == StandardProtocolFamily.INET6 && !v6) {
            throw error(Errno.UV_EINVAL);
        }
        if ((flags & IPV6ONLY) != 0 && InetAddresses.isV4Mapped(sa.getAddress())) {
            // An IPv4-mapped address on an IPv6-only socket: bind(2) says EINVAL (before any transport
            // could say it cannot do IPV6ONLY).
            throw error(Errno.UV_EINVAL);
        }
        try {
            Channel bound = transport().bind(channel, sa, (flags & IPV6ONLY) != 0, (flags & REUSEPORT) != 0);
            if (bound != channel) {
                channel = bound;
                attach(bound);
            }
            delayedError = 0;
        } catch (IOException | RuntimeException e) {
            int err = ErrnoMapper.errno(e);
            if (err == Errno.UV_EADDRINUSE) {
                delayedError = err;
            } else if (err == Errno.UV_EAFNOSUPPORT) {
                throw error(Errno.UV_EINVAL);
            } else {
                throw error(err);
            }
        }
    }

    // ================================================================= listen

    @Override
    void startListening(int backlog) {
        if (delayedError != 0) {
            throw error(delayedError);
        }
        if (connected || connecting()) {
            throw error(Errno.UV_EINVAL);
        }
        StandardProtocolFamily f = family != null ? family : StandardProtocolFamily.INET;
        Channel socket = channel;
        if (socket == null) {
            socket = newUnattachedSocket(f);
        }
        ServerChannel server;
        try {
            server = transport().listen(socket, f, backlog);
        } catch (IOException | RuntimeException e) {
            if (channel == null) {
                forceClose(socket);
            }
            throw error(ErrnoMapper.errno(e));
        }
        channel = server;
        family = f;
        readable = true;
    }

    private Channel newUnattachedSocket(StandardProtocolFamily f) {
        try {
            return transport().newSocket(f);
        } catch (IOException | RuntimeException e) {
            throw error(ErrnoMapper.errno(e));
        }
    }

    // ================================================================= connect

    /**
     * {@code connect(Address.of(host, port), callback)}.
     *
     * @param host     a numeric IP address
     * @param port     0 to 65535
     * @param callback called with {@code (tcp, null)} once connected, or {@code (tcp, errno)}
     */
    public void connect(String host, int port, StatusCallback<TCP> callback) {
        connect(Address.of(host, port), callback);
    }

    /**
     * Connects to {@code address}. Failures such as ECONNREFUSED arrive in the callback, never as
     * exceptions; the handle stays open after a failed connect. Writes issued while connecting are
     * queued and sent once connected.
     *
     * @param address  the peer
     * @param callback called with {@code (tcp, null)} once connected, or {@code (tcp, errno)}
     * @throws TCPError {@code UV_EALREADY} while a connect is pending; {@code UV_EAFNOSUPPORT} for an
     *         IPv6 address on an IPv4 socket; {@code UV_EISCONN} when already connected; the OS error
     *         when connect(2) fails at once with anything but ECONNREFUSED ({@code UV_ENETUNREACH}...)
     */
    public void connect(Address address, StatusCallback<TCP> callback) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(callback, "callback");
        boolean v6 = address.isIPv6();
        InetSocketAddress sa = address.toInetSocketAddress();
        if (connecting()) {
            throw error(Errno.UV_EALREADY);
        }
        if (channel == null) {
            newSocket(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        } else if (listening || channel instanceof ServerChannel) {
            throw error(Errno.UV_EISCONN);
        } else if (family == StandardProtocolFamily.INET && v6) {
            throw error(Errno.UV_EAFNOSUPPORT);
        } else if (family == StandardProtocolFamily.INET6 && !v6) {
            throw error(Errno.UV_EINVAL); // connect(2) with a sockaddr_in on an IPv6 socket
        }
        readable = true;
        writable = true;
        if (connected) {
            // Linux quirk kept by libuv: the first connect() after a non-blocking connect completed
            // succeeds again; only the next one says EISCONN.
            if (connectConfirmed) {
                throw error(Errno.UV_EISCONN);
            }
            connectConfirmed = true;
            connectCallback = callback;
            loop.activeReqs++;
            loop.feed(() -> finishConnect(null));
            return;
        }
        delayedError = 0; // libuv 1.13 connects from an ephemeral port after a deferred EADDRINUSE
        connectCallback = callback;
        loop.activeReqs++;
        ensureRegistered();
        ChannelFuture f = channel.connect(sa);
        if (f.isDone() && !f.isSuccess()) {
            // connect(2) failed at once. libuv reports ECONNREFUSED at the next tick and raises the others
            // (ENETUNREACH, EADDRNOTAVAIL...) from uv_tcp_connect.
            int err = ErrnoMapper.errno(f.cause());
            if (err != Errno.UV_ECONNREFUSED) {
                connectCallback = null;
                loop.activeReqs--;
                throw error(err);
            }
        }
        f.addListener((ChannelFutureListener) this::onConnectDone);
    }

    private void onConnectDone(ChannelFuture f) {
        if (closing() || connectCallback == null) {
            return; // close() reports ECANCELED
        }
        Integer err = f.isSuccess() ? null : ErrnoMapper.errno(f.cause());
        if (loop.canCallNow()) {
            finishConnect(err);
        } else {
            loop.feed(() -> finishConnect(err));
        }
    }

    private void finishConnect(Integer err) {
        StatusCallback<TCP> cb = connectCallback;
        if (closing() || cb == null) {
            return;
        }
        connectCallback = null;
        loop.activeReqs--;
        if (err == null) {
            connectSucceeded();
        }
        loop.callbacks.invoke(cb, this, err);
        afterConnectCallback(err == null);
    }

    /**
     * Accepts the connection announced by the listen callback into a new handle on another loop (a
     * Java addition, docs/SCALING.md; the in-process twin of handing a socket to another process over a
     * pipe with {@code uv_write2}): the connection is registered with {@code target}, and
     * {@code onAccepted} runs on {@code target}'s thread, inside its {@code run()}, with the new handle,
     * which belongs to {@code target}. Nothing here touches {@code target}'s handles. A target that is
     * closed, or closes before the connection arrives, gets the connection closed.
     *
     * @param target     the loop that takes the connection ({@code this} handle's own loop is allowed)
     * @param onAccepted called on {@code target}'s thread with the new handle
     * @throws TCPError {@code UV_EAGAIN} when no connection is pending
     */
    public void acceptTo(Loop target, HandleCallback<TCP> onAccepted) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(onAccepted, "onAccepted");
        Channel child = acceptor == null ? null : acceptor.take();
        if (child == null) {
            throw error(Errno.UV_EAGAIN);
        }
        StandardProtocolFamily f = family;
        target.handOffs.send(() -> {
            TCP tcp = new TCP(target);
            tcp.family = f;
            tcp.connectConfirmed = true;
            tcp.adoptConnection(child);
            onAccepted.call(tcp);
        }, () -> child.unsafe().closeForcibly()); // never registered: closed at once, from any thread
    }

    @Override
    void adoptAccepted(Channel child, Stream<?> server) {
        // An accepted socket has its listener's family and is connected (accept(2) completes the connect).
        family = server instanceof TCP ? ((TCP) server).family : null;
        connectConfirmed = true;
        super.adoptAccepted(child, server);
    }

    // ================================================================= wrap (Netty interop)

    /**
     * Adopts a connected Netty channel the user already has (accepted or connected by their own
     * bootstrap) as a TCP handle with pyuv semantics from then on (a Java addition, docs/NETTY.md).
     * The channel's own handlers stay in front of pyuv4j's; its auto-read is turned off until
     * {@code startRead}. A channel of another event loop of the same transport is moved to this loop
     * first: until it has arrived (within an iteration or two) the handle behaves as a connecting one
     * (writes wait, in order).
     *
     * @param loop    the loop the handle belongs to
     * @param channel a connected channel of {@code loop}'s transport
     * @return the handle
     * @throws TCPError {@code UV_EINVAL} for a channel of another transport; {@code UV_ENOTCONN} for
     *         one that is not connected
     */
    public static TCP wrap(Loop loop, io.netty.channel.socket.SocketChannel channel) {
        return TcpAdoption.wrap(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(channel, "channel"));
    }

    @Override
    void onClose() {
        if (TcpAdoption.moving(this)) {
            channel = null; // still on its way from another event loop: closed when it arrives
        }
        super.onClose();
    }

    // ================================================================= TLS (a Java addition, docs/TLS.md)

    /**
     * {@code startTls(context, null, callback)}.
     *
     * @param context  a client or server context
     * @param callback the handshake's callback
     */
    public void startTls(SslContext context, StatusCallback<TCP> callback) {
        startTls(context, null, callback);
    }

    /**
     * Starts TLS on this connected stream, client or server as {@code context} says: reads, writes,
     * {@code shutdown} (close_notify, then FIN) and {@code close} then work on plaintext; writes made
     * before the handshake completes follow it, in order; bytes not delivered yet (and those given back
     * by {@link #unread}) are the first the TLS layer reads. {@code callback} runs once, never from
     * inside this call, with {@code null} or {@code UV_ETIMEDOUT}, {@code UV_ECONNRESET} (the peer closed
     * or reset), {@code UV_EPROTO} (certificate or protocol failure: {@link #getTlsFailure}).
     *
     * @param context    a client or server context (JDK or OpenSSL provider)
     * @param serverName a client's SNI name, which the certificate must match; null: the peer's address
     * @param callback   the handshake's callback
     * @throws TCPError {@code UV_EALREADY} when TLS was started already; {@code UV_ENOTCONN} when not
     *         connected; {@code UV_EINVAL} on a listener; {@code UV_EPIPE} after {@code shutdown()}
     */
    public void startTls(SslContext context, String serverName, StatusCallback<TCP> callback) {
        startTls(Objects.requireNonNull(context, "context"), serverName, null, callback);
    }

    /**
     * Starts TLS as a server that chooses its context by the client's SNI name (Netty's
     * {@code SniHandler}), as {@link #startTls(SslContext, String, StatusCallback)} otherwise.
     *
     * @param sni      server contexts by host name (asked for {@code null} when the client sent none)
     * @param callback the handshake's callback
     */
    public void startTls(Mapping<? super String, ? extends SslContext> sni, StatusCallback<TCP> callback) {
        startTls(null, null, Objects.requireNonNull(sni, "sni"), callback);
    }

    private void startTls(SslContext context, String serverName, Mapping<? super String, ? extends SslContext> sni,
                          StatusCallback<TCP> callback) {
        loop.checkThread();
        checkNotClosed();
        TcpTls.start(this, context, serverName, sni, Objects.requireNonNull(callback, "callback"));
    }

    /** @return the TLS session once the handshake completed, else {@code null} */
    public SSLSession getSslSession() {
        loop.checkThread();
        return tls == null ? null : tls.session();
    }

    /** @return the protocol ALPN agreed on, or {@code null} (none, handshake not completed, no TLS) */
    public String getApplicationProtocol() {
        loop.checkThread();
        return tls == null ? null : tls.applicationProtocol();
    }

    /** @return what failed TLS (the {@code SSLException}, or the socket's exception), or {@code null} */
    public Throwable getTlsFailure() {
        loop.checkThread();
        return tls == null ? null : tls.failure();
    }

    /**
     * Sets the handshake timeout of a later {@link #startTls} (default 10 s, as Netty's).
     *
     * @param seconds the limit; 0 for none
     * @throws IllegalArgumentException "a positive value or zero is required" when negative
     */
    public void setTlsHandshakeTimeout(double seconds) {
        loop.checkThread();
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("a positive value or zero is required");
        }
        tlsHandshakeTimeoutMillis = (long) Math.ceil(seconds * 1000);
    }

    /**
     * Gives bytes back (for STARTTLS): they come before anything not delivered yet, to the read callback
     * or, after {@link #startTls}, to TLS. A read callback that got the end of the plaintext part and the
     * start of the TLS part in one chunk gives the latter back, then starts TLS.
     *
     * @param data the bytes, copied; a second call's go in front of the first's
     */
    public void unread(byte[] data) {
        loop.checkThread();
        checkNotClosed();
        reader.unread(Objects.requireNonNull(data, "data"));
    }

    @Override
    void onFinishClose() {
        if (tls != null) {
            tls.finishClose(); // a running handshake gets ECANCELED before the writes, as a connect
        }
        super.onFinishClose();
    }

    // ================================================================= open, names

    /**
     * Wraps an existing socket descriptor; the handle then owns it (closing the handle closes it).
     * Needs a native transport.
     *
     * @param fd a TCP socket: listening, connected or neither
     * @throws TCPError {@code UV_EBADF} for an invalid descriptor; {@code UV_EBUSY} when the handle
     *         already has another socket; {@code UV_ENOTSUP} on NIO
     */
    public void open(int fd) {
        loop.checkThread();
        checkNotClosed();
        TcpAdoption.open(this, fd);
    }

    /**
     * getsockname(2): IPv4 results have flowinfo and scope id 0.
     *
     * @return the local address
     * @throws TCPError a deferred bind error (EADDRINUSE); {@code UV_EINVAL} when there is no socket
     */
    public Address getsockname() {
        loop.checkThread();
        checkNotClosed();
        return TcpNames.local(this);
    }

    /**
     * getpeername(2).
     *
     * @return the peer address
     * @throws TCPError {@code UV_ENOTCONN} when not connected; {@code UV_EINVAL} when there is no socket
     */
    public Address getpeername() {
        loop.checkThread();
        checkNotClosed();
        return TcpNames.peer(this);
    }

    /**
     * The socket's family. Works on closed handles (raising, as pyuv).
     *
     * @return {@code INET} or {@code INET6}
     * @throws TCPError {@code UV_EINVAL} without a socket (or once closed); a deferred bind error
     */
    public StandardProtocolFamily getFamily() {
        loop.checkThread();
        if (delayedError != 0) {
            throw error(delayedError);
        }
        if (channel == null || closing()) {
            throw error(Errno.UV_EINVAL);
        }
        return family;
    }

    // ================================================================= options

    /**
     * Enables or disables TCP_NODELAY (off by default, as libuv). Stored and applied later when
     * the handle has no socket yet.
     *
     * @param enable {@code true} to disable Nagle's algorithm
     */
    public void nodelay(boolean enable) {
        loop.checkThread();
        checkNotClosed();
        TcpOptions.nodelay(this, enable);
    }

    /**
     * Enables or disables TCP keep-alive: SO_KEEPALIVE and the idle time before the first probe
     * (TCP_KEEPIDLE; the probe interval and count keep the kernel's defaults, as libuv 1.13).
     * Stored and applied later when the handle has no socket yet (with this delay; libuv 1.13
     * used 60 s there).
     *
     * @param enable       on or off
     * @param delaySeconds idle seconds, 1 to 32767 when enabling on a socket
     * @throws TCPError {@code UV_EINVAL} for a delay out of range when the socket exists
     */
    public void keepalive(boolean enable, int delaySeconds) {
        loop.checkThread();
        checkNotClosed();
        TcpOptions.keepalive(this, enable, delaySeconds);
    }

    /**
     * Accepted for compatibility; on Unix it has no effect (pyuv-spec §4.11).
     *
     * @param enable ignored
     */
    public void simultaneousAccepts(boolean enable) {
        loop.checkThread();
        checkNotClosed();
    }

    /**
     * SO_SNDBUF as the kernel reports it (Linux: twice the value set).
     *
     * @return the size
     * @throws TCPError {@code UV_EBADF} without a socket or once closed
     */
    public int getSendBufferSize() {
        loop.checkThread();
        return TcpOptions.getBufferSize(this, true);
    }

    /**
     * Sets SO_SNDBUF; 0 does nothing (libuv treats it as a read).
     *
     * @param size the size to request
     * @throws TCPError {@code UV_EBADF} without a socket or once closed
     */
    public void setSendBufferSize(int size) {
        loop.checkThread();
        TcpOptions.setBufferSize(this, true, size);
    }

    /**
     * SO_RCVBUF as the kernel reports it (Linux: twice the value set).
     *
     * @return the size
     * @throws TCPError {@code UV_EBADF} without a socket or once closed
     */
    public int getReceiveBufferSize() {
        loop.checkThread();
        return TcpOptions.getBufferSize(this, false);
    }

    /**
     * Sets SO_RCVBUF; 0 does nothing (libuv treats it as a read).
     *
     * @param size the size to request
     * @throws TCPError {@code UV_EBADF} without a socket or once closed
     */
    public void setReceiveBufferSize(int size) {
        loop.checkThread();
        TcpOptions.setBufferSize(this, false, size);
    }

    // ================================================================= plumbing

    @Override
    void configureSocket(Channel ch) {
        TcpOptions.configure(this, ch);
    }

    @Override
    HandleError error(int errno, String detail) {
        return new TCPError(errno, detail);
    }
}
