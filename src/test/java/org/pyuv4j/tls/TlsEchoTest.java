package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * 64 MiB echoed over TLS, SHA-256 of what was sent equal to that of what came back: pyuv4j at both
 * ends, then a pyuv4j server with a raw Netty {@code SslHandler} client, then a raw Netty
 * {@code SslHandler} server with a pyuv4j client; each on the JDK and the OpenSSL provider. The raw
 * Netty peers run on the test loop's own event loop ({@code Loop.getEventLoop()}).
 */
class TlsEchoTest extends UvTestCase {
    private static final int CHUNK = 64 << 10;
    private static final long TOTAL = 64L << 20;
    private static final long IN_FLIGHT = 1 << 20;

    static java.util.stream.Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    /** The pyuv4j client's side: writes TOTAL bytes with back-pressure, hashes the echo, shuts down once it all came back. */
    private final class PyuvClient {
        final MessageDigest sent = sha256();
        final MessageDigest received = sha256();
        final byte[] block = new byte[CHUNK];
        long written;
        long read;
        String end;

        PyuvClient() {
            new Random(42).nextBytes(block);
        }

        void start(TCP c) {
            c.startRead((h, data, e) -> {
                if (data != null) {
                    received.update(data);
                    read += data.length;
                    if (read == TOTAL) {
                        // Only once all came back: the OpenSSL engine answers a close_notify with its own at
                        // once, so the echo of bytes still in flight would be lost (docs/TLS.md).
                        h.shutdown((x, e2) -> assertNull(e2, () -> "client shutdown: " + TcpSupport.name(e2)));
                    }
                    return;
                }
                end = Errno.errorcode(e);
                h.close();
            });
            pump(c);
        }

        void pump(TCP c) {
            while (written < TOTAL && c.getWriteQueueSize() < IN_FLIGHT) {
                block[0] = (byte) (written >>> 16);
                block[1] = (byte) (written >>> 24);
                sent.update(block);
                written += CHUNK;
                c.write(block, (h, e) -> {
                    assertNull(e, () -> "client write: " + TcpSupport.name(e));
                    if (!h.isClosed()) {
                        pump(h);
                    }
                });
            }
        }

        void verify() {
            assertEquals("UV_EOF", end, "the client read to EOF");
            assertEquals(TOTAL, read, "bytes echoed");
            assertArrayEquals(sent.digest(), received.digest(), "SHA-256 of the echo");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A pyuv4j echo server end: echoes, and at EOF shuts down (close_notify, FIN) and closes. */
    private static void echo(TCP s) {
        s.startRead((h, data, e) -> {
            if (data != null) {
                h.write(data);
                return;
            }
            assertEquals(Errno.UV_EOF, e, () -> "server read: " + TcpSupport.name(e));
            h.shutdown((x, se) -> x.close());
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void pyuv4jClientAndServer(SslProvider provider) {
        TcpSupport.watchdog(loop, 50, () -> "echo did not finish");
        PyuvClient client = new PyuvClient();
        TlsSupport.tlsPair(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.server()), (c, s) -> {
                    assertNotNull(c.getSslSession());
                    assertNotNull(s.getSslSession());
                    echo(s);
                    client.start(c);
                });
        loop.run();
        client.verify();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void pyuv4jServerWithANettyClient(SslProvider provider) {
        TcpSupport.watchdog(loop, 50, () -> "echo did not finish");
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext clientContext = TlsSupport.clientContext(provider);
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startTls(serverContext, (h, he) -> {
                assertNull(he, () -> "server handshake: " + TcpSupport.name(he));
                echo(h);
            });
        });
        NettyClient nc = new NettyClient();
        new Bootstrap().group(loop.getEventLoop()).channel(loop.getSocketChannelClass())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(clientContext.newHandler(ch.alloc(), TlsSupport.SERVER_NAME, 0), nc);
                    }
                })
                .connect(HOST, server.getsockname().port());
        loop.run();
        assertEquals(TOTAL, nc.read, "bytes echoed");
        assertArrayEquals(nc.sent.digest(), nc.received.digest(), "SHA-256 of the echo");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nettyServerWithAPyuv4jClient(SslProvider provider) {
        TcpSupport.watchdog(loop, 50, () -> "echo did not finish");
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        Channel[] listener = new Channel[1];
        listener[0] = new ServerBootstrap().group(loop.getEventLoop()).channel(loop.getServerSocketChannelClass())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        listener[0].close(); // one connection
                        ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new NettyEcho());
                    }
                })
                .bind(HOST, 0).channel();
        loop.run(RunMode.NOWAIT); // the bind completes
        assertTrue(listener[0].isActive());
        PyuvClient client = new PyuvClient();
        TCP c = new TCP(loop);
        c.connect(HOST, ((InetSocketAddress) listener[0].localAddress()).getPort(), (h, e) -> {
            assertNull(e);
            h.startTls(TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME, (x, he) -> {
                assertNull(he, () -> "client handshake: " + TcpSupport.name(he) + " " + x.getTlsFailure());
                client.start(x);
            });
        });
        loop.run();
        client.verify();
    }

    /** Raw Netty echo: writes back what it reads; at the peer's close_notify or FIN, close_notify and close. */
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslCloseCompletionEvent || evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** Raw Netty client: sends TOTAL bytes as the channel's writability allows; once all came back, close_notify and FIN. */
    private static final class NettyClient extends ChannelInboundHandlerAdapter {
        final MessageDigest sent = sha256();
        final MessageDigest received = sha256();
        final byte[] block = new byte[CHUNK];
        long written;
        long read;

        NettyClient() {
            new Random(7).nextBytes(block);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                assertTrue(e.isSuccess(), () -> "netty client handshake: " + e.cause());
                pump(ctx);
            } else if (evt instanceof SslCloseCompletionEvent || evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.close(); // the server's close_notify, or its FIN: the echo is complete
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            while (written < TOTAL && ctx.channel().isWritable()) {
                block[0] = (byte) (written >>> 16);
                block[1] = (byte) (written >>> 24);
                sent.update(block);
                written += CHUNK;
                ctx.write(ctx.alloc().buffer(CHUNK).writeBytes(block));
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                read += b.readableBytes();
                for (java.nio.ByteBuffer nb : b.nioBuffers()) {
                    received.update(nb);
                }
                if (read == TOTAL) { // all came back: close_notify, then the FIN
                    ctx.pipeline().get(SslHandler.class).closeOutbound().addListener(
                            f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                }
            } finally {
                b.release();
            }
        }
    }
}
