package org.pyuv4j.transport.iouring;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Netty's io_uring channels for a given family or descriptor. Netty 4.2.18 offers only
 * {@code new IoUringSocketChannel()} and {@code new IoUringServerSocketChannel()}, each making a socket
 * of the JVM's preferred family (IPv6, dual stack); libuv needs an AF_INET socket for an IPv4 handle,
 * and {@code listen()} and {@code open(fd)} need a channel around an existing descriptor. The epoll
 * transport has public constructors for both; here the package-private ones are called by reflection
 * (Netty is on the class path or an automatic module, whose packages are open):
 *
 * <ul>
 * <li>a stream: {@code IoUringSocketChannel(Channel parent, LinuxSocket fd)}, made inactive (the
 *     constructor treats the socket as connected; an unconnected one is then connected by Netty);</li>
 * <li>a listener: {@code new IoUringServerSocketChannel()} whose own fresh socket is closed and replaced
 *     by the listening one (there is no constructor taking a socket), marked active and with its local
 *     address, as Netty's bind would leave it.</li>
 * </ul>
 *
 * Every channel gets {@link SyscallsNow} first in its pipeline. If this Netty has none of these members,
 * io_uring is reported unavailable with the reason.
 */
final class IoUringChannels {
    /** The class declaring Netty's {@code active}, {@code socket}, {@code local} and {@code remote} fields. */
    static final Class<?> ACTIVE_FLAG_OWNER = IoUringSocketChannel.class.getSuperclass().getSuperclass();

    private static final Throwable UNAVAILABLE;
    private static final Method NEW_SOCKET_STREAM;
    private static final Constructor<?> LINUX_SOCKET;
    private static final Constructor<IoUringSocketChannel> STREAM;
    private static final Field SOCKET;
    private static final Field ACTIVE;
    private static final Field LOCAL;
    private static final Field REMOTE;
    private static final Method MAKE_BLOCKING;
    private static final Field UNSAFE_OWNER;

    /** Set on a channel whose socket was made blocking (see PollSnapshotIoHandler.Handle): no write(2) on it. */
    static final AttributeKey<Boolean> BLOCKING = AttributeKey.valueOf(IoUringChannels.class, "blocking");

    static {
        Throwable unavailable = null;
        Method newSocketStream = null;
        Constructor<?> linuxSocket = null;
        Constructor<IoUringSocketChannel> stream = null;
        Field socket = null;
        Field active = null;
        Field local = null;
        Field remote = null;
        Method makeBlocking = null;
        Field unsafeOwner = null;
        try {
            Class<?> linuxSocketClass = Class.forName("io.netty.channel.uring.LinuxSocket", false,
                    IoUringSocketChannel.class.getClassLoader());
            newSocketStream = linuxSocketClass.getDeclaredMethod("newSocketStream", boolean.class);
            newSocketStream.setAccessible(true);
            linuxSocket = linuxSocketClass.getDeclaredConstructor(int.class);
            linuxSocket.setAccessible(true);
            stream = IoUringSocketChannel.class.getDeclaredConstructor(Channel.class, linuxSocketClass);
            stream.setAccessible(true);
            socket = ACTIVE_FLAG_OWNER.getDeclaredField("socket");
            socket.setAccessible(true);
            active = ACTIVE_FLAG_OWNER.getDeclaredField("active");
            active.setAccessible(true);
            local = ACTIVE_FLAG_OWNER.getDeclaredField("local");
            local.setAccessible(true);
            remote = ACTIVE_FLAG_OWNER.getDeclaredField("remote");
            remote.setAccessible(true);
            makeBlocking = linuxSocketClass.getDeclaredMethod("makeBlocking", int.class);
            makeBlocking.setAccessible(true);
            unsafeOwner = Class.forName("io.netty.channel.AbstractChannel$AbstractUnsafe").getDeclaredField("this$0");
            unsafeOwner.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = new UnsupportedOperationException("this Netty's io_uring channels cannot be built around a"
                    + " socket of a given family or descriptor (pyuv4j is tested with Netty 4.2.18.Final): " + e, e);
        }
        UNAVAILABLE = unavailable;
        NEW_SOCKET_STREAM = newSocketStream;
        LINUX_SOCKET = linuxSocket;
        STREAM = stream;
        SOCKET = socket;
        ACTIVE = active;
        LOCAL = local;
        REMOTE = remote;
        MAKE_BLOCKING = makeBlocking;
        UNSAFE_OWNER = unsafeOwner;
    }

    /**
     * Puts the socket under a channel's I/O handle in blocking mode and marks the channel {@link #BLOCKING}.
     *
     * @param handle the channel's Netty unsafe (its io_uring handle)
     * @param fd     the socket
     */
    static void makeBlocking(Object handle, int fd) {
        Channel ch;
        try {
            ch = (Channel) UNSAFE_OWNER.get(handle);
        } catch (IllegalAccessException | RuntimeException e) {
            return;
        }
        if (ch.hasAttr(BLOCKING) || !ch.isOpen()) {
            return;
        }
        ch.attr(BLOCKING).set(Boolean.TRUE);
        try {
            MAKE_BLOCKING.invoke(null, fd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The descriptor stays non-blocking: Netty's writes then poll again, which still completes.
        }
    }

    /** {@return whether the channel's socket was made blocking} */
    static boolean isBlocking(Channel ch) {
        return ch.hasAttr(BLOCKING);
    }

    private IoUringChannels() {
    }

    /** {@return why the channels cannot be built with this Netty, or null} */
    static Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    /** A new unconnected stream channel with a socket of {@code family}. */
    static Channel newStream(SocketProtocolFamily family) {
        Object socket = invoke(() -> NEW_SOCKET_STREAM.invoke(null, family == SocketProtocolFamily.INET6));
        Channel ch;
        try {
            ch = invoke(() -> STREAM.newInstance(null, socket));
        } catch (RuntimeException | Error e) {
            closeQuietly((Socket) socket);
            throw e;
        }
        unconnected(ch);
        return install(ch);
    }

    /** A stream channel owning {@code fd}, treated as connected (UnixTransport marks an unconnected one inactive). */
    static Channel wrapStream(int fd) {
        Object socket = invoke(() -> LINUX_SOCKET.newInstance(fd));
        return install(invoke(() -> STREAM.newInstance(null, socket)));
    }

    /** A listening server channel owning {@code fd} (already bound and listening). */
    static ServerChannel wrapServer(int fd) {
        IoUringServerSocketChannel server = new IoUringServerSocketChannel(); // makes a socket of its own
        Socket own = (Socket) ((UnixChannel) server).fd();
        Socket listening = (Socket) invoke(() -> LINUX_SOCKET.newInstance(fd));
        try {
            SOCKET.set(server, listening);
            ACTIVE.setBoolean(server, true);
            LOCAL.set(server, listening.localAddress());
        } catch (IllegalAccessException | RuntimeException e) {
            closeQuietly(own);
            throw new ChannelException("cannot adopt a listening socket into Netty's io_uring server channel", e);
        }
        closeQuietly(own);
        return install(server);
    }

    /** Puts {@link SyscallsNow} first in the pipeline of a new channel (a listener's: and of each it accepts). */
    static <C extends Channel> C install(C ch) {
        ch.pipeline().addFirst(SyscallsNow.NAME, new SyscallsNow());
        return ch;
    }

    /** Netty's constructor cached the addresses of a connected socket and set it active: undo that. */
    private static void unconnected(Channel ch) {
        try {
            ACTIVE.setBoolean(ch, false);
            LOCAL.set(ch, null);
            REMOTE.set(ch, null);
        } catch (IllegalAccessException e) {
            throw new ChannelException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a fresh socket never used: close(2) does not fail
        }
    }

    @FunctionalInterface
    private interface Reflective<T> {
        T call() throws ReflectiveOperationException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T invoke(Reflective<?> call) {
        try {
            return (T) call.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause; // ChannelException around the errno of socket(2)
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new ChannelException(cause);
        } catch (ReflectiveOperationException e) {
            throw new ChannelException(e);
        }
    }
}
