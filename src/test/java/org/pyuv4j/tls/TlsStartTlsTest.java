package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * STARTTLS: a plaintext exchange, then TLS on the same handles. The bytes the client sends right after
 * its plaintext command (its ClientHello) must reach the server's TLS layer, neither lost nor given to
 * the plaintext read callback (uvloop#707, cpython#142352): a raw Netty client puts the command and the
 * ClientHello in one segment, so the server reads both in one chunk, gives the TLS part back with
 * {@code unread} and starts TLS; with a line decoder in front, removing the decoder hands its leftover
 * bytes to pyuv4j's reader, and {@code startTls} feeds them to TLS.
 */
class TlsStartTlsTest extends UvTestCase {
    private static final byte[] COMMAND = "STARTTLS\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = "over TLS now\n".getBytes(StandardCharsets.US_ASCII);

    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private final List<String> events = new ArrayList<>();

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The server's side: reads up to the command line (however the bytes were split), stops reading,
     * gives back whatever followed the line, answers "OK" in plaintext when {@code reply} (a client that
     * sends its ClientHello at once must not get a plaintext answer: its TLS layer would read it), and
     * starts TLS; then echoes what it reads over TLS and closes at EOF.
     */
    private void starttlsServer(TCP s, SslContext context, boolean reply) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        s.startRead((h, data, e) -> {
            assertTrue(data != null, () -> "server plaintext read: " + TcpSupport.name(e));
            int nl = indexOf(data, (byte) '\n');
            if (nl < 0) {
                line.writeBytes(data);
                return;
            }
            line.write(data, 0, nl + 1);
            h.stopRead();
            byte[] rest = Arrays.copyOfRange(data, nl + 1, data.length);
            events.add("server got " + line.toString(StandardCharsets.US_ASCII).trim() + ", " + rest.length
                    + " more bytes in the chunk");
            h.unread(rest); // the start of the TLS part, if it came in the same chunk
            if (reply) {
                h.write("OK\n".getBytes(StandardCharsets.US_ASCII)); // plaintext, before any TLS byte
            }
            h.startTls(context, (x, he) -> {
                assertNull(he, () -> "server handshake: " + TcpSupport.name(he) + " " + x.getTlsFailure());
                events.add("server handshake done");
                x.startRead((y, d, re) -> {
                    if (d != null) {
                        events.add("server read over TLS: " + new String(d, StandardCharsets.US_ASCII).trim());
                        y.write(d);
                    } else {
                        events.add("server end " + Errno.errorcode(re));
                        y.close();
                    }
                });
            });
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientHelloInTheSameSegmentAsTheCommandReachesTls(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "STARTTLS did not finish: " + events);
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext clientContext = TlsSupport.clientContext(provider);
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            starttlsServer(conn, serverContext, false);
        });
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        new Bootstrap().group(loop.getEventLoop()).channel(loop.getSocketChannelClass())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                // The command, not flushed; the SslHandler's ClientHello flushes both: one segment.
                                ctx.write(Unpooled.wrappedBuffer(COMMAND));
                                ctx.pipeline().addFirst(clientContext.newHandler(ctx.alloc(), TlsSupport.SERVER_NAME, 0));
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent hs) {
                                    assertTrue(hs.isSuccess(), () -> "client handshake: " + hs.cause());
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(SECRET));
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                decrypted.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
                                b.release();
                                if (decrypted.size() == SECRET.length) {
                                    ctx.close();
                                }
                            }
                        });
                    }
                })
                .connect(HOST, server.getsockname().port());
        loop.run();
        assertEquals(new String(SECRET, StandardCharsets.US_ASCII), decrypted.toString(StandardCharsets.US_ASCII));
        assertTrue(events.get(0).startsWith("server got STARTTLS, "), events::toString);
        assertTrue(!events.get(0).endsWith(", 0 more bytes in the chunk"),
                () -> "the ClientHello came in the command's chunk: " + events);
        assertEquals(List.of("server handshake done", "server read over TLS: over TLS now"), events.subList(1, 3));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aPyuv4jClientThatStartsTlsRightAfterItsCommand(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "STARTTLS did not finish: " + events);
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext clientContext = TlsSupport.clientContext(provider);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        TcpSupport.pair(loop, HOST, (client, srv) -> {
            starttlsServer(srv, serverContext, false);
            client.write(COMMAND);
            // Without waiting for an answer: the ClientHello follows the command at once (the server
            // reads them in one chunk or two, depending on timing; both are handled).
            client.startTls(clientContext, TlsSupport.SERVER_NAME, (h, he) -> {
                assertNull(he, () -> "client handshake: " + TcpSupport.name(he) + " " + h.getTlsFailure());
                h.startRead((x, d, re) -> {
                    if (d != null) {
                        echoed.writeBytes(d);
                        if (echoed.size() == SECRET.length) {
                            x.shutdown();
                        }
                    } else {
                        events.add("client end " + Errno.errorcode(re));
                        x.close();
                    }
                });
                h.write(SECRET);
            });
        });
        loop.run();
        assertEquals(new String(SECRET, StandardCharsets.US_ASCII), echoed.toString(StandardCharsets.US_ASCII));
        assertTrue(events.get(0).startsWith("server got STARTTLS, "), events::toString);
        assertEquals(List.of("server handshake done", "server read over TLS: over TLS now", "server end UV_EOF",
                "client end UV_EOF"), events.subList(1, events.size()));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theClassicExchangeWithAPlaintextAnswerBeforeTls(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "STARTTLS did not finish: " + events);
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext clientContext = TlsSupport.clientContext(provider);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        TcpSupport.pair(loop, HOST, (client, srv) -> {
            starttlsServer(srv, serverContext, true);
            client.startRead((h, data, e) -> {
                assertTrue(data != null, () -> "client plaintext read: " + TcpSupport.name(e));
                answer.writeBytes(data);
                if (answer.size() < 3) {
                    return;
                }
                h.stopRead();
                events.add("client got " + answer.toString(StandardCharsets.US_ASCII).trim());
                h.startTls(clientContext, TlsSupport.SERVER_NAME, (x, he) -> {
                    assertNull(he, () -> "client handshake: " + TcpSupport.name(he) + " " + x.getTlsFailure());
                    x.write(SECRET);
                    x.startRead((y, d, re) -> {
                        if (d != null) {
                            echoed.writeBytes(d);
                            if (echoed.size() == SECRET.length) {
                                y.shutdown();
                            }
                        } else {
                            y.close();
                        }
                    });
                });
            });
            client.write(COMMAND);
        });
        loop.run();
        assertEquals("OK\n", answer.toString(StandardCharsets.US_ASCII), "the plaintext answer, nothing of TLS in it");
        assertEquals(new String(SECRET, StandardCharsets.US_ASCII), echoed.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of("server got STARTTLS, 0 more bytes in the chunk", "client got OK", "server handshake done",
                "server read over TLS: over TLS now", "server end UV_EOF"), events);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aLineDecoderRemovedBeforeStartTlsHandsItsLeftoverToTls(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "STARTTLS did not finish: " + events);
        SslContext serverContext = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext clientContext = TlsSupport.clientContext(provider);
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            LineBasedFrameDecoder lines = new LineBasedFrameDecoder(256);
            conn.pipeline().addLast(lines);
            conn.startReadMessages((h, msg, re) -> {
                ByteBuf frame = (ByteBuf) msg;
                events.add("server line " + frame.toString(StandardCharsets.US_ASCII));
                h.stopRead();
                h.pipeline().remove(lines); // its leftover bytes (the ClientHello) reach pyuv4j's reader
                h.startTls(serverContext, (x, he) -> {
                    assertNull(he, () -> "server handshake: " + TcpSupport.name(he) + " " + x.getTlsFailure());
                    x.startRead((y, d, ye) -> {
                        if (d != null) {
                            y.write(d);
                        } else {
                            y.close();
                        }
                    });
                });
            });
        });
        new Bootstrap().group(loop.getEventLoop()).channel(loop.getSocketChannelClass())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.write(Unpooled.wrappedBuffer(COMMAND));
                                ctx.pipeline().addFirst(clientContext.newHandler(ctx.alloc(), TlsSupport.SERVER_NAME, 0));
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent hs) {
                                    assertTrue(hs.isSuccess(), () -> "client handshake: " + hs.cause());
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(SECRET));
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                decrypted.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
                                b.release();
                                if (decrypted.size() == SECRET.length) {
                                    ctx.close();
                                }
                            }
                        });
                    }
                })
                .connect(HOST, server.getsockname().port());
        loop.run();
        assertEquals(List.of("server line STARTTLS"), events);
        assertEquals(new String(SECRET, StandardCharsets.US_ASCII), decrypted.toString(StandardCharsets.US_ASCII));
    }
}
