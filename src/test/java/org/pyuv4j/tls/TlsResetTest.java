package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * A peer that resets the connection (SO_LINGER 0, then close) in the middle of the handshake fails it
 * with {@code UV_ECONNRESET}, at a server and at a client; in the middle of the stream the read callback
 * gets {@code UV_ECONNRESET} as on a plain stream. No buffer leaks (PARANOID) and the handles close.
 */
class TlsResetTest extends UvTestCase {
    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private final List<String> events = new ArrayList<>();

    @ParameterizedTest
    @MethodSource("providers")
    void aClientResetsInTheMiddleOfTheHandshake(SslProvider provider) throws IOException {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        SslContext ctx = TlsSupport.serverContext(provider, TlsSupport.server());
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startTls(ctx, (h, he) -> {
                events.add("server handshake " + TcpSupport.name(he));
                h.close();
            });
        });
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(HOST, server.getsockname().port()), 5000);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // the start of a ClientHello record
            out.flush();
            raw.setSoLinger(true, 0); // close() sends RST
        }
        loop.run();
        assertEquals(List.of("server handshake UV_ECONNRESET"), events);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aServerResetsInTheMiddleOfTheHandshake(SslProvider provider) throws Exception {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        try (ServerSocket raw = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            raw.setSoTimeout(10_000);
            // The raw server, on its own thread: reads the ClientHello's first bytes, then resets.
            CompletableFuture<Integer> peer = CompletableFuture.supplyAsync(() -> {
                try (Socket s = raw.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    int first = in.read();
                    s.setSoLinger(true, 0);
                    return first;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TCP c = new TCP(loop);
            c.connect(HOST, raw.getLocalPort(), (h, e) -> {
                assertNull(e);
                h.startTls(TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME, (x, he) -> {
                    events.add("client handshake " + TcpSupport.name(he));
                    x.close();
                });
            });
            loop.run();
            assertEquals(0x16, peer.get(10, TimeUnit.SECONDS), "the raw server read a TLS handshake record");
        }
        assertEquals(List.of("client handshake UV_ECONNRESET"), events);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aPeerResetsInTheMiddleOfTheStream(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        SslContext sc = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext cc = TlsSupport.clientContext(provider);
        long[] got = new long[1];
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startTls(sc, (h, he) -> {
                assertNull(he);
                h.startRead((x, d, re) -> {
                    if (d != null) {
                        got[0] += d.length;
                        x.write(d); // echo: the peer resets once it has seen some
                        return;
                    }
                    events.add("server read " + Errno.errorcode(re));
                    x.close();
                });
            });
        });
        new Bootstrap().group(loop.getEventLoop()).channel(loop.getSocketChannelClass())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(cc.newHandler(ch.alloc(), TlsSupport.SERVER_NAME, 0),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof SslHandshakeCompletionEvent) {
                                            for (int i = 0; i < 64; i++) {
                                                ctx.write(Unpooled.wrappedBuffer(new byte[16 << 10]));
                                            }
                                            ctx.flush();
                                        }
                                    }

                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ReferenceCountUtil.release(msg);
                                        if (ctx.channel().isOpen()) {
                                            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                                            // Without the SslHandler no close_notify goes first: just the RST.
                                            ctx.pipeline().remove(io.netty.handler.ssl.SslHandler.class);
                                            ctx.channel().close();
                                        }
                                    }
                                });
                    }
                })
                .connect(HOST, server.getsockname().port());
        loop.run();
        assertEquals(List.of("server read UV_ECONNRESET"), events);
        assertTrue(got[0] > 0);
    }
}
