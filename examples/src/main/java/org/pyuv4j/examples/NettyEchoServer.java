package org.pyuv4j.examples;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.ArrayList;
import java.util.List;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Netty baseline for {@link EchoServer}: the same echo, written the idiomatic Netty way,
 * on the same transport, with one event-loop thread.
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.NettyEchoServer PORT
 *      [--transport epoll|io_uring|nio] [--copy|--zero-copy] [--nodelay] [--lines] [--threads N]
 *      [--recv adaptive|fixed64k]
 *      [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]
 * </pre>
 *
 * <p>Parity with the pyuv4j server: 127.0.0.1, SO_REUSEADDR, backlog 511 (libuv's), TCP_NODELAY
 * set explicitly from {@code --nodelay} (Netty would turn it on by default, libuv leaves it off),
 * the default (adaptive) {@code ByteBufAllocator}. Echo: {@code ctx.write(msg)} in
 * {@code channelRead}, {@code ctx.flush()} in {@code channelReadComplete} ({@code --zero-copy}, the
 * baseline of pyuv4j's zero-copy API); {@code --copy} (the default, as EchoServer's) echoes through a
 * {@code byte[]} per read, the baseline of pyuv4j's copying API ({@link CopyEcho}). {@code --lines}
 * puts a {@code LineBasedFrameDecoder} in front, {@code --threads N} runs N event-loop threads. {@code --recv fixed64k} reads into a fixed 64 KiB buffer as
 * pyuv4j does (libuv's read size), to measure that choice alone; the default is Netty's adaptive
 * read-buffer sizing. {@code --tls} puts an {@code SslHandler} in front of the echo, with the provider,
 * ciphers and certificate {@code EchoServer --tls} uses (see {@code TlsContexts}).
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.Options o = EchoServer.Options.parse(args, "NettyEchoServer");
        String transport = o.transport != null ? o.transport : Epoll.isAvailable() ? "epoll" : "nio";
        IoHandlerFactory factory;
        Class<? extends ServerChannel> serverClass;
        switch (transport) {
            case "epoll":
                Epoll.ensureAvailability();
                factory = EpollIoHandler.newFactory();
                serverClass = EpollServerSocketChannel.class;
                break;
            case "io_uring":
                IoUring.ensureAvailability(); // Netty's own io_uring defaults (a single-issuer ring)
                factory = IoUringIoHandler.newFactory();
                serverClass = IoUringServerSocketChannel.class;
                break;
            case "nio":
                factory = NioIoHandler.newFactory();
                serverClass = NioServerSocketChannel.class;
                break;
            default:
                factory = null;
                serverClass = null;
                System.err.println("NettyEchoServer: unknown transport " + transport);
                System.exit(2);
        }
        // --threads N: N event-loop threads. On epoll, N server channels bound to the port with
        // SO_REUSEPORT (the kernel spreads the connections, as pyuv4j's --loops N); on NIO, which has no
        // SO_REUSEPORT in Netty, one acceptor hands the children to the N threads.
        boolean reusePort = o.loops > 1 && transport.equals("epoll");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.loops, factory);
        ChannelHandler echo = o.zeroCopy ? Echo.INSTANCE : CopyEcho.INSTANCE;
        io.netty.handler.ssl.SslContext tls = o.tlsContext();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(serverClass)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, o.nodelay)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc())); // as an idiomatic Netty TLS server
                        }
                        if (o.lines) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(65536, false, false));
                        }
                        ch.pipeline().addLast(echo);
                    }
                });
        if (reusePort) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        if (o.recv.equals("fixed64k")) {
            b.childOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536));
        } else if (!o.recv.equals("adaptive")) {
            System.err.println("--recv adaptive|fixed64k");
            System.exit(2);
        }
        List<Channel> servers = new ArrayList<>();
        Channel first = b.bind("127.0.0.1", o.port).sync().channel();
        servers.add(first);
        int port = ((java.net.InetSocketAddress) first.localAddress()).getPort();
        for (int i = 1; reusePort && i < o.loops; i++) {
            servers.add(b.bind("127.0.0.1", port).sync().channel()); // one per event loop (the group's next())
        }

        CountDownLatch finished = new CountDownLatch(1);
        Signals.onTerminate(() -> {
            servers.forEach(Channel::close); // thread-safe; the group's shutdown closes the accepted channels
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }, () -> {
            try {
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    System.err.println("NettyEchoServer: event loop did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("PORT " + port);
        System.out.flush();
        System.err.println("NettyEchoServer (raw Netty) on 127.0.0.1:" + port + ", transport " + transport
                + ", " + (o.zeroCopy ? "forwarding buffers" : "copying through byte[]") + ", TCP_NODELAY "
                + o.nodelay + ", recv " + o.recv + (o.tls ? ", TLS " + o.provider : "") + (o.lines ? ", line decoder" : "")
                + (o.loops > 1 ? ", " + o.loops + " threads" + (reusePort ? " (SO_REUSEPORT)" : " (one acceptor)") : ""));
        try {
            for (Channel server : servers) {
                server.closeFuture().await();
            }
            group.terminationFuture().await();
        } finally {
            finished.countDown();
        }
    }

    /**
     * Echo through {@code byte[]}, as a Netty user who wants arrays writes it
     * ({@code ByteArrayDecoder}/{@code ByteArrayEncoder} semantics): each read is copied out into a
     * fresh array and released, the array is wrapped for the write. The same work as pyuv4j's copying
     * API ({@code startRead} + {@code write(byte[])}): the fair baseline for it.
     */
    @ChannelHandler.Sharable
    static final class CopyEcho extends Echo {
        static final CopyEcho INSTANCE = new CopyEcho();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            byte[] array = new byte[in.readableBytes()];
            in.readBytes(array);
            in.release();
            ctx.write(Unpooled.wrappedBuffer(array));
        }
    }

    /** Echo: write what was read, flush once per read batch. Closes on EOF (Netty's default) and on errors. */
    @ChannelHandler.Sharable
    static class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
