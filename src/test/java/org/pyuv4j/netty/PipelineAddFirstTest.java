package org.pyuv4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Errno;
import org.pyuv4j.spi.Transport;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code Stream.pipeline().addFirst} puts a handler next to the socket: behind the transport's own head
 * handlers (named {@code pyuv4j-transport-*}; io_uring's writes its bytes with {@code write(2)} at once),
 * so that what it makes of the stream's writes is what the peer gets, and it sees the socket's bytes
 * before any other handler. Checked with a handler that upper-cases outbound bytes and lower-cases
 * inbound ones, in place.
 */
@Timeout(30)
class PipelineAddFirstTest extends UvTestCase {
    /** Upper-cases what goes out, lower-cases what comes in (ASCII letters, in place). */
    private static final class CaseFlipper extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
                    b.setByte(i, Character.toUpperCase(b.getByte(i)));
                }
            }
            ctx.write(msg, promise);
        }
    }

    private static final class Lower extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
                    b.setByte(i, Character.toLowerCase(b.getByte(i)));
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Test
    void aHandlerAddedFirstSeesTheSocketsBytesBothWays() {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, accepted) -> {
            accepted.pipeline().addFirst("flip", new CaseFlipper());
            accepted.pipeline().addFirst("lower", new Lower());
            names.addAll(accepted.pipeline().names());
            accepted.startRead((h, data, e) -> {
                if (data == null) {
                    h.close();
                    return;
                }
                String s = new String(data, StandardCharsets.US_ASCII);
                events.add("server read " + s);
                h.write(("echo " + s).getBytes(StandardCharsets.US_ASCII));
            });
            client.startRead((h, data, e) -> {
                if (data == null) {
                    events.add("client end " + Errno.errorcode(e));
                    h.close();
                    return;
                }
                events.add("client read " + new String(data, StandardCharsets.US_ASCII));
                h.shutdown();
            });
            client.write("Hello".getBytes(StandardCharsets.US_ASCII));
        });
        loop.run();
        assertEquals(List.of("server read hello", "client read ECHO HELLO", "client end UV_EOF"), events);
        // The transport's head handlers (if any) stay first, then the handlers added first, last one first.
        int lower = names.indexOf("lower");
        assertEquals(lower + 1, names.indexOf("flip"), names::toString);
        for (int i = 0; i < lower; i++) {
            assertTrue(names.get(i).startsWith(Transport.HEAD_HANDLER_PREFIX), names::toString);
        }
    }
}
