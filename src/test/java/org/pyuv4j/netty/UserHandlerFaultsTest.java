package org.pyuv4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * What a user's handler does to a TCP handle: closing the channel (an {@code IdleStateHandler}
 * closing an idle connection) is seen as libuv sees a connection error (the read callback gets
 * {@code UV_ECONNABORTED}, queued writes and a pending shutdown get their callbacks with an error,
 * {@code close()} still works: never a hang or a silent state); a handler that throws reaches the
 * excepthook and the loop and the stream go on.
 */
class UserHandlerFaultsTest extends UvTestCase {

    @Test
    void aConnectionClosedByAnIdleHandlerIsAConnectionErrorForTheHandle() {
        TcpSupport.watchdog(loop, 10, () -> "idle close not seen");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            accepted.pipeline().addLast(new IdleStateHandler(0, 0, 50, TimeUnit.MILLISECONDS),
                    new ChannelDuplexHandler() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof IdleStateEvent) {
                                events.add("idle: the user's handler closes the channel");
                                // A write and a shutdown are waiting for the client, which does not read.
                                ctx.close();
                            }
                        }
                    });
            client.setReceiveBufferSize(4096);
            accepted.setSendBufferSize(4096);
            accepted.startRead((h, data, e) -> {
                events.add("read " + (data != null ? "data" : Errno.errorcode(e)));
                h.close(x -> {
                    events.add("close callback");
                    client.close();
                });
            });
            // The client does not read: this write stays queued until the channel is closed.
            accepted.write(new byte[4 << 20], (h, e) -> events.add("big write " + TcpSupport.name(e)));
            accepted.shutdown((h, e) -> events.add("shutdown " + (e == null ? "null" : "error")));
        });
        loop.run();
        assertEquals("idle: the user's handler closes the channel", events.get(0), events::toString);
        assertTrue(events.contains("read UV_ECONNABORTED"), events::toString);
        assertTrue(events.contains("big write UV_EPIPE") || events.contains("big write UV_ECANCELED"), events::toString);
        assertTrue(events.contains("shutdown error"), events::toString);
        assertEquals("close callback", events.get(events.size() - 1), events::toString);
    }

    @Test
    void aHandlerThatThrowsReachesTheExcepthookAndTheStreamGoesOn() {
        TcpSupport.watchdog(loop, 10, () -> "no read after the throw");
        List<Throwable> hooked = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        int[] seen = {0};
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            loop.setExcepthook((l, t) -> {
                hooked.add(t);
                client.write("second".getBytes(StandardCharsets.US_ASCII)); // the stream goes on
            });
            accepted.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (seen[0]++ == 0) {
                        ReferenceCountUtil.release(msg);
                        throw new IllegalStateException("the user's handler failed");
                    }
                    ctx.fireChannelRead(msg);
                }
            });
            accepted.startRead((h, data, e) -> {
                reads.add(data != null ? new String(data, StandardCharsets.US_ASCII) : Errno.errorcode(e));
                h.close();
                client.close();
            });
            client.write("first".getBytes(StandardCharsets.US_ASCII));
        });
        loop.run();
        assertEquals(List.of("second"), reads);
        assertEquals(1, hooked.size(), hooked::toString);
        assertEquals("the user's handler failed", hooked.get(0).getMessage());
    }
}
