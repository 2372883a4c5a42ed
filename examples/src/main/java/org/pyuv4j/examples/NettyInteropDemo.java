package org.pyuv4j.examples;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.pyuv4j.Async;
import org.pyuv4j.Loop;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;

/**
 * docs/NETTY.md's example: one pyuv4j loop, one thread, running a pyuv-style line echo server (a
 * {@code TCP} handle with a Netty {@code LineBasedFrameDecoder} in its pipeline) next to a Netty HTTP
 * endpoint (a raw {@code ServerBootstrap} on {@code loop.getEventLoop()}) that reports how many lines
 * the echo server has seen. Both sides' callbacks run on the same thread, so they share state without
 * locks.
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.NettyInteropDemo [ECHO_PORT HTTP_PORT]
 * printf 'hello\nworld\n' | nc 127.0.0.1 ECHO_PORT     # echoed line by line
 * curl http://127.0.0.1:HTTP_PORT/                      # "2 lines echoed"
 * </pre>
 *
 * Prints {@code ECHO <port>} and {@code HTTP <port>} once both listen; SIGTERM or Ctrl-C stops it
 * (exit status 0).
 */
public final class NettyInteropDemo {
    private NettyInteropDemo() {
    }

    public static void main(String[] args) throws Exception {
        int echoPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int httpPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Loop loop = new Loop();
        long[] lines = {0};
        Set<TCP> clients = new HashSet<>();

        // pyuv style: a TCP server whose connections frame lines with Netty's decoder.
        TCP echo = new TCP(loop);
        echo.bind("127.0.0.1", echoPort);
        echo.listen((server, error) -> {
            if (error != null) {
                return;
            }
            TCP client = new TCP(loop);
            server.accept(client);
            client.pipeline().addLast(new LineBasedFrameDecoder(8192, false, false));
            clients.add(client);
            client.startRead((c, line, err) -> {
                if (line == null) {
                    clients.remove(c);
                    c.close();
                    return;
                }
                lines[0]++;
                c.write(line);
            });
        });

        // Netty style: an HTTP endpoint on the same loop, the same thread.
        Channel http = new ServerBootstrap()
                .group(loop.getEventLoop())
                .channel(loop.getServerSocketChannelClass())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        String body = lines[0] + " lines echoed, " + clients.size() + " clients connected\n";
                                        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                                        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                                        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", httpPort).channel(); // no sync(): it completes in the loop's poll phase
        loop.run(RunMode.NOWAIT);

        Async stop = new Async(loop, a -> {
            a.close();
            echo.close();
            clients.forEach(TCP::close);
            http.close();
        });
        Signals.onTerminate(stop::send, () -> { });
        System.out.println("ECHO " + echo.getsockname().port());
        System.out.println("HTTP " + ((InetSocketAddress) http.localAddress()).getPort());
        System.out.flush();
        loop.run(); // until the echo server, its clients and the HTTP channels are closed
        loop.close();
    }
}
