package org.pyuv4j.examples;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Netty baseline for {@link EchoServer}: the same echo, written the idiomatic Netty way,
 * on the same transport, with one event-loop thread.
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.NettyEchoServer PORT
 *      [--transport epoll|nio] [--copy|--zero-copy] [--nodelay] [--recv adaptive|fixed64k]
 *      [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]
 * </pre>
 *
 * <p>Parity with the pyuv4j server: 127.0.0.1, SO_REUSEADDR, backlog 511 (libuv's), TCP_NODELAY
 * set explicitly from {@code --nodelay} (Netty would turn it on by default, libuv leaves it off),
 * the default (adaptive) {@code ByteBufAllocator}. Echo: {@code ctx.write(msg)} in
 * {@code channelRead}, {@code ctx.flush()} in {@code channelReadComplete}. {@code --copy} and
 * {@code --zero-copy} are accepted and ignored (Netty's echo never copies), so the scripts can pass
 * the same flags to both servers. {@code --recv fixed64k} reads into a fixed 64 KiB buffer as
 * pyuv4j does (libuv's read size), to measure that choice alone; the default is Netty's adaptive
 * read-buffer sizing. {@code --tls} puts an {@code SslHandler} in front of the echo, with the provider,
 * ciphers and certificate {@code EchoServer --tls} uses (see {@code TlsContexts}).
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.Options o = EchoServer.Options.parse(args, "NettyEchoServer");
        boolean epoll = o.transport == null ? Epoll.isAvailable() : o.transport.equals("epoll");
        if (epoll) {
            Epoll.ensureAvailability();
        }
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(serverClass)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, o.nodelay)
                .childHandler(Echo.INSTANCE);
        io.netty.handler.ssl.SslContext tls = o.tlsContext();
        if (tls != null) {
            // --tls: an SslHandler in front of the same echo, as an idiomatic Netty TLS server.
            b.childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                @Override
                protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), Echo.INSTANCE);
                }
            });
        }
        if (o.recv.equals("fixed64k")) {
            b.childOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536));
        } else if (!o.recv.equals("adaptive")) {
            System.err.println("--recv adaptive|fixed64k");
            System.exit(2);
        }
        Channel server = b.bind("127.0.0.1", o.port).sync().channel();
        int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();

        CountDownLatch finished = new CountDownLatch(1);
        Signals.onTerminate(() -> {
            server.close(); // thread-safe; the group's shutdown closes the accepted channels
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
        System.err.println("NettyEchoServer (raw Netty) on 127.0.0.1:" + port + ", transport " + (epoll ? "epoll" : "nio")
                + ", TCP_NODELAY " + o.nodelay + ", recv " + o.recv + (o.tls ? ", TLS " + o.provider : ""));
        try {
            server.closeFuture().await();
            group.terminationFuture().await();
        } finally {
            finished.countDown();
        }
    }

    /** Echo: write what was read, flush once per read batch. Closes on EOF (Netty's default) and on errors. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
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
