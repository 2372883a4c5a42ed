package org.pyuv4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Netty handlers in front of a TCP handle ({@code Stream.pipeline()}): a {@code LineBasedFrameDecoder}
 * gives one read callback per line however the bytes were split or merged on the way; a
 * {@code StringDecoder}/{@code StringEncoder} pair works with {@code startReadMessages} and
 * {@code writeMessage}; pyuv4j's handler stays the last inbound one whatever {@code addLast} is asked.
 */
class PipelineHandlersTest extends UvTestCase {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aLineDecoderGivesOneReadCallbackPerLineAcrossSplitAndMergedReads() {
        TcpSupport.watchdog(loop, 10, () -> "lines did not arrive");
        List<String> lines = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            accepted.pipeline().addLast(new LineBasedFrameDecoder(1024));
            accepted.startRead((h, data, e) -> {
                if (data == null) {
                    lines.add("end " + Errno.errorcode(e));
                    h.close();
                    return;
                }
                lines.add(new String(data, StandardCharsets.US_ASCII));
            });
            // Split inside lines and merged across them; each write is its own segment (nodelay).
            client.nodelay(true);
            for (String part : List.of("al", "pha\nbe", "ta\n", "gamma\ndelta\nep", "silon\n")) {
                client.write(ascii(part));
            }
            client.shutdown((c, e) -> c.close());
        });
        loop.run();
        assertEquals(List.of("alpha", "beta", "gamma", "delta", "epsilon", "end UV_EOF"), lines);
    }

    @Test
    void stringCodecsWithMessageReadsAndWrites() {
        TcpSupport.watchdog(loop, 10, () -> "messages did not arrive");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            for (TCP h : List.of(client, accepted)) {
                h.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8));
                h.pipeline().addLast(new StringEncoder(StandardCharsets.UTF_8));
            }
            accepted.startReadMessages((h, msg, e) -> {
                if (msg == null) {
                    events.add("server end " + Errno.errorcode(e));
                    h.close();
                    return;
                }
                assertTrue(msg instanceof String, () -> msg.getClass().getName());
                events.add("server got " + msg);
                h.writeMessage(((String) msg).toUpperCase() + "\n", (x, we) -> events.add("server wrote " + TcpSupport.name(we)));
            });
            client.startReadMessages((h, msg, e) -> {
                if (msg == null) {
                    events.add("client end " + Errno.errorcode(e));
                    h.close();
                    return;
                }
                events.add("client got " + msg);
                h.shutdown();
            });
            client.writeMessage("héllo\n", (x, we) -> events.add("client wrote " + TcpSupport.name(we)));
        });
        loop.run();
        assertEquals(List.of("client wrote null", "server got héllo", "server wrote null", "client got HÉLLO",
                "server end UV_EOF", "client end UV_EOF"), events);
    }

    @Test
    void pyuv4jsHandlerStaysLastWhateverAddLastIsAsked() {
        TcpSupport.watchdog(loop, 10, () -> "no read");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            ChannelPipeline p = accepted.pipeline();
            assertSame(accepted.getChannel().pipeline().channel(), p.channel());
            ChannelInboundHandlerAdapter spy = new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    events.add("spy saw a read");
                    ctx.fireChannelRead(msg);
                }
            };
            assertSame(p, p.addLast("spy", spy), "the view returns itself");
            List<String> names = accepted.getChannel().pipeline().names();
            assertEquals("pyuv4j", names.get(names.size() - 2), "pyuv4j's handler, then Netty's tail: " + names);
            assertTrue(names.indexOf("spy") < names.indexOf("pyuv4j"), names::toString);
            accepted.startRead((h, data, e) -> {
                events.add(data != null ? "read " + new String(data, StandardCharsets.US_ASCII) : "end");
                h.close();
                client.close();
            });
            client.write(ascii("x"));
        });
        loop.run();
        assertEquals(List.of("spy saw a read", "read x"), events);
    }

    @Test
    void pipelineAndChannelAreNullWithoutASocket() {
        TCP t = new TCP(loop);
        assertNull(t.pipeline());
        assertNull(t.getChannel());
        t.close();
        loop.run();
    }
}
