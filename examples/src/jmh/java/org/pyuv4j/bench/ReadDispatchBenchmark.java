package org.pyuv4j.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.pyuv4j.RunMode;

/**
 * Dispatch of a read: {@link Fixture#BATCH} 64-byte {@code channelRead} events fired into the
 * accepted peer's pipeline from the loop's poll phase (where the transport fires them), then one
 * {@code channelReadComplete}. Time per read event, including 1/BATCH of one NOWAIT loop iteration
 * (see {@link LoopBenchmark#loopIteration}).
 *
 * <ul>
 *   <li>{@code netty}: a plain Netty handler at the head of the pipeline consumes the buffer (the
 *       raw-Netty cost);</li>
 *   <li>{@code copy}: pyuv4j's {@code startRead} callback, which gets a {@code byte[]} copy;</li>
 *   <li>{@code zerocopy}: pyuv4j's {@code startReadBuf} callback, which gets the buffer.</li>
 * </ul>
 * Not included: the read syscall and the read buffer's allocation (see {@link LoopBenchmark#recvBuffer}).
 */
public class ReadDispatchBenchmark extends Fixture {
    @Param({"netty", "copy", "zerocopy"})
    public String mode;

    private ByteBuf readBuf;
    private Runnable fire;

    @Setup(Level.Trial)
    public void setUp() {
        open(transport);
        readBuf = alloc.directBuffer(64).writeBytes(DATA);
        switch (mode) {
            case "netty":
                peerChannel.pipeline().addFirst("bench-consumer", new Consumer());
                break;
            case "copy":
                peer.startRead((h, data, err) -> events += data.length);
                break;
            case "zerocopy":
                peer.startReadBuf((h, data, err) -> events += data.readableBytes());
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
        fire = () -> {
            ChannelPipeline p = peerChannel.pipeline();
            for (int i = 0; i < BATCH; i++) {
                p.fireChannelRead(readBuf.retain()); // the consumer releases it, as it would a read buffer
            }
            p.fireChannelReadComplete();
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (mode.equals("netty")) {
            peerChannel.pipeline().remove("bench-consumer");
        } else {
            peer.stopRead();
        }
        readBuf.release();
        close();
    }

    /** What a Netty application's handler does with a read it consumes. */
    @ChannelHandler.Sharable
    final class Consumer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            events += buf.readableBytes();
            buf.release();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long readDispatch() {
        io.execute(fire); // runs in the poll phase, outside any callback, as an I/O event would
        loop.run(RunMode.NOWAIT);
        return events;
    }
}
