package org.pyuv4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code TCP.wrap}: a channel accepted by the user's own {@code ServerBootstrap} becomes a TCP handle
 * with pyuv semantics, whether the bootstrap ran on this loop or on another event loop of the same
 * transport (another pyuv4j loop, on its own thread, here). Writes made before the channel arrived
 * go out first, in order; handlers the channel already had stay in front.
 */
class TcpWrapTest extends UvTestCase {
    private final List<String> events = new ArrayList<>();

    /** A pyuv client that sends "ping", then reads to EOF; @return what it read. */
    private StringBuilder client(int port) {
        StringBuilder got = new StringBuilder();
        TCP c = new TCP(loop);
        c.connect(HOST, port, (h, e) -> {
            assertNull(e);
            h.write("ping".getBytes(StandardCharsets.US_ASCII));
            h.startRead((x, data, re) -> {
                if (data != null) {
                    got.append(new String(data, StandardCharsets.US_ASCII));
                } else {
                    events.add("client " + Errno.errorcode(re));
                    x.close();
                }
            });
        });
        return got;
    }

    /** The pyuv side of a wrapped connection: greets, echoes one read, shuts down. */
    private void serve(TCP tcp) {
        tcp.write("hello ".getBytes(StandardCharsets.US_ASCII), (h, e) -> events.add("greeting written " + TcpSupport.name(e)));
        tcp.startRead((h, data, e) -> {
            if (data != null) {
                h.write(data);
                h.shutdown((x, se) -> events.add("shut down " + TcpSupport.name(se)));
            } else {
                events.add("server " + Errno.errorcode(e));
                h.close();
            }
        });
    }

    @Test
    void aChannelAcceptedOnThisLoopBecomesAPyuvHandle() {
        TcpSupport.watchdog(loop, 10, events::toString);
        Channel[] server = new Channel[1];
        server[0] = new ServerBootstrap().group(loop.getEventLoop()).channel(loop.getServerSocketChannelClass())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("user", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                TCP tcp = TCP.wrap(loop, (SocketChannel) ctx.channel());
                                assertEquals("user", tcp.getChannel().pipeline().names().get(0), "the user's handler stays first");
                                serve(tcp);
                                server[0].close();
                            }
                        });
                    }
                }).bind(HOST, 0).channel();
        loop.run(RunMode.NOWAIT);
        StringBuilder got = client(((InetSocketAddress) server[0].localAddress()).getPort());
        loop.run();
        assertEquals("hello ping", got.toString());
        assertTrue(events.containsAll(List.of("greeting written null", "shut down null", "client UV_EOF", "server UV_EOF")), events::toString);
    }

    @Test
    void aChannelOfAnotherLoopOfTheSameTransportMovesHere() throws Exception {
        TcpSupport.watchdog(loop, 10, events::toString);
        Loop other = new Loop(loop.getTransport());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Channel server = new ServerBootstrap().group(other.getEventLoop()).channel(other.getServerSocketChannelClass())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            assertNotSame(other.getEventLoop(), loop.getEventLoop());
                            loop.execute(() -> {
                                TCP tcp = TCP.wrap(loop, ch); // from the other loop: moved here
                                serve(tcp);
                            });
                            ch.parent().close();
                        }
                    }).bind(HOST, 0).channel();
            other.run(RunMode.NOWAIT);
            port.complete(((InetSocketAddress) server.localAddress()).getPort());
            other.run();
            other.close();
        }, "other-loop");
        thread.start();
        StringBuilder got = client(port.get(10, TimeUnit.SECONDS));
        loop.run();
        thread.join(10_000);
        assertEquals("hello ping", got.toString());
        assertTrue(events.containsAll(List.of("greeting written null", "shut down null", "client UV_EOF", "server UV_EOF")), events::toString);
    }

    @Test
    void channelsOfAnotherTransportOrNotConnectedAreRefused() {
        Channel unconnected;
        try {
            unconnected = loop.getSocketChannelClass().getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        TCPError e = org.junit.jupiter.api.Assertions.assertThrows(TCPError.class,
                () -> TCP.wrap(loop, (SocketChannel) unconnected));
        assertEquals(Errno.UV_ENOTCONN, e.errno());
        unconnected.unsafe().closeForcibly();
    }
}
