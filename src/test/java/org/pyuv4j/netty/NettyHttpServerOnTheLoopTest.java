package org.pyuv4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Netty inside a pyuv4j loop ({@code Loop.getEventLoop()}): a raw Netty {@code ServerBootstrap}
 * serving HTTP on the loop while a pyuv {@code TCP} client on the same loop fetches from it. Both run
 * on the test's thread, inside {@code run()}; the open server channel keeps {@code run()} going
 * (there is no active pyuv handle once the client is done) and {@code run()} returns once it is closed.
 */
class NettyHttpServerOnTheLoopTest extends UvTestCase {

    @Test
    void aNettyHttpServerAndAPyuvClientShareTheLoopThread() {
        TcpSupport.watchdog(loop, 10, () -> "HTTP exchange did not finish");
        Thread testThread = Thread.currentThread();
        List<String> events = new ArrayList<>();
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.getEventLoop())
                .channel(loop.getServerSocketChannelClass())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        assertSame(testThread, Thread.currentThread(), "Netty handlers run on the loop thread");
                                        events.add("request " + req.method() + " " + req.uri());
                                        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, Unpooled.copiedBuffer("hello from netty", StandardCharsets.US_ASCII));
                                        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                                        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                                    }
                                });
                    }
                });
        Channel server = b.bind("127.0.0.1", 0).channel(); // no sync(): the loop thread must not block
        loop.run(RunMode.NOWAIT); // the bind completes in the poll phase
        assertTrue(server.isActive(), "bound");
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        ByteArrayOutputStream response = new ByteArrayOutputStream();
        TCP client = new TCP(loop);
        client.connect("127.0.0.1", port, (c, e) -> {
            assertNull(e);
            events.add("connected");
            c.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.startRead((h, data, re) -> {
                assertSame(testThread, Thread.currentThread());
                if (data != null) {
                    response.writeBytes(data);
                    return;
                }
                events.add("client read " + Errno.errorcode(re));
                h.close();
                // Nothing of pyuv's is active now: the server channel alone keeps the loop running.
                Timer later = new Timer(loop);
                later.start(t -> {
                    t.close();
                    events.add("closing the server");
                    server.close();
                }, 0.01, 0);
            });
        });
        loop.run();
        assertEquals(List.of("connected", "request GET /hello", "client read UV_EOF", "closing the server"), events);
        String text = response.toString(StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\nhello from netty"), text);
        assertTrue(!server.isOpen() && !loop.isAlive(), "run() returned once the Netty channel closed");
    }
}
