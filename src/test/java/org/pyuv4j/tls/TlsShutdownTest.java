package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code shutdown()} on a TLS stream: close_notify after the queued writes, then the FIN; the peer reads
 * {@code UV_EOF} at the close_notify. Half-close: with the JDK provider (TLS 1.3) the end that got the
 * close_notify goes on writing and the end that sent it goes on reading. Netty's OpenSSL engine answers
 * a close_notify with its own at once: the shut-down end reads EOF, writes after the peer's close_notify
 * fail with {@code UV_EPIPE} (docs/TLS.md). A FIN without close_notify (a truncated stream) is EOF too.
 */
class TlsShutdownTest extends UvTestCase {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);

    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private final List<String> events = new ArrayList<>();

    private List<String> side(String who) {
        return events.stream().filter(x -> x.startsWith(who)).toList();
    }

    private static String s(byte[] d) {
        return new String(d, StandardCharsets.US_ASCII);
    }

    /** The client writes ping and shuts down; the server reads to EOF, then writes pong and shuts down. */
    private void halfClose(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        TlsSupport.tlsPair(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.server()), (c, srv) -> {
                    srv.startRead((h, d, e) -> {
                        if (d != null) {
                            events.add("server read " + s(d));
                            return;
                        }
                        events.add("server end " + Errno.errorcode(e));
                        h.write(PONG, (x, we) -> events.add("server write " + TcpSupport.name(we)));
                        h.shutdown((x, se) -> {
                            events.add("server shutdown " + TcpSupport.name(se));
                            x.close();
                        });
                    });
                    c.startRead((h, d, e) -> {
                        if (d != null) {
                            events.add("client read " + s(d));
                            return;
                        }
                        events.add("client end " + Errno.errorcode(e));
                        h.close();
                    });
                    c.write(PING, (x, we) -> events.add("client write " + TcpSupport.name(we)));
                    c.shutdown((x, se) -> events.add("client shutdown " + TcpSupport.name(se)));
                });
        loop.run();
    }

    @Test
    void halfCloseWithCloseNotifyOnTheJdkProvider() {
        halfClose(SslProvider.JDK);
        assertEquals(List.of("client write null", "client shutdown null", "client read pong", "client end UV_EOF"),
                side("client"));
        assertEquals(List.of("server read ping", "server end UV_EOF", "server write null", "server shutdown null"),
                side("server"));
    }

    @Test
    void theOpenSslEngineAnswersCloseNotifyAtOnce() {
        halfClose(SslProvider.OPENSSL);
        // The server's engine closed its output when the client's close_notify came: its pong cannot be
        // sent, and its own shutdown finds the stream shut (the close_notify went already).
        assertEquals(List.of("client write null", "client shutdown null", "client end UV_EOF"), side("client"));
        assertEquals(List.of("server read ping", "server end UV_EOF", "server write UV_EPIPE"),
                side("server").subList(0, 3));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aShutdownWaitsForTheHandshakeAndTheWrites(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        SslContext sc = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext cc = TlsSupport.clientContext(provider);
        TcpSupport.pair(loop, HOST, (c, srv) -> {
            srv.startTls(sc, (h, e) -> events.add("server handshake " + TcpSupport.name(e)));
            srv.startRead((h, d, e) -> {
                events.add(d != null ? "server read " + s(d) : "server end " + Errno.errorcode(e));
                if (d == null) {
                    h.close();
                }
            });
            c.startTls(cc, TlsSupport.SERVER_NAME, (h, e) -> events.add("client handshake " + TcpSupport.name(e)));
            c.write(PING, (h, e) -> events.add("client write " + TcpSupport.name(e)));
            c.shutdown((h, e) -> {
                events.add("client shutdown " + TcpSupport.name(e));
                h.close();
            });
        });
        loop.run();
        List<String> client = events.stream().filter(x -> x.startsWith("client")).toList();
        List<String> server = events.stream().filter(x -> x.startsWith("server")).toList();
        assertEquals(List.of("client handshake null", "client write null", "client shutdown null"), client);
        assertEquals(List.of("server handshake null", "server read ping", "server end UV_EOF"), server);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aFinWithoutCloseNotifyIsEof(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish: " + events);
        SslContext cc = TlsSupport.clientContext(provider);
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startTls(TlsSupport.serverContext(provider, TlsSupport.server()), (h, he) -> {
                assertNull(he);
                h.startRead((x, d, re) -> {
                    events.add(d != null ? "server read " + s(d) : "server end " + Errno.errorcode(re));
                    if (d == null) {
                        x.close();
                    }
                });
            });
        });
        new Bootstrap().group(loop.getEventLoop()).channel(loop.getSocketChannelClass())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(cc.newHandler(ch.alloc(), TlsSupport.SERVER_NAME, 0),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof SslHandshakeCompletionEvent) {
                                            // ping, then the FIN straight away: no close_notify.
                                            ctx.writeAndFlush(Unpooled.wrappedBuffer(PING)).addListener(
                                                    f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                                        } else if (evt instanceof SslCloseCompletionEvent
                                                || evt == ChannelInputShutdownEvent.INSTANCE) {
                                            ctx.close();
                                        }
                                    }

                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ByteBuf b = (ByteBuf) msg;
                                        events.add("netty read " + s(ByteBufUtil.getBytes(b)));
                                        b.release();
                                    }
                                });
                    }
                })
                .connect(HOST, server.getsockname().port());
        loop.run();
        assertEquals(List.of("server read ping", "server end UV_EOF"), events);
    }
}
