package org.pyuv4j.bench;

import io.netty.channel.ChannelFutureListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;

/**
 * A write with its completion callback: {@link Fixture#BATCH} 64-byte writes from the client, then
 * loop iterations until every callback ran (the peer reads the bytes in the same iterations). Time
 * per write, syscalls included.
 *
 * <ul>
 *   <li>{@code bytes}: pyuv4j {@code write(byte[], cb)} (copies into a pooled direct buffer);</li>
 *   <li>{@code bytebuf}: pyuv4j {@code write(ByteBuf, cb)} of a freshly allocated pooled buffer;</li>
 *   <li>{@code nettyFlushEach}: raw Netty {@code writeAndFlush(buf, promise)} + listener per write
 *       (one syscall per write, as pyuv4j);</li>
 *   <li>{@code netty}: raw Netty {@code write(buf, promise)} + listener per write and one
 *       {@code flush()} per batch (what a Netty echo does per read batch: one writev).</li>
 * </ul>
 */
public class WriteBenchmark extends Fixture {
    @Param({"bytes", "bytebuf", "nettyFlushEach", "netty"})
    public String mode;

    int writesDone;
    final StatusCallback<TCP> writeCb = (h, err) -> writesDone++;
    final ChannelFutureListener nettyListener = f -> writesDone++;

    @Setup(Level.Trial)
    public void setUp() {
        open(transport);
        peer.startReadBuf((h, data, err) -> events += data == null ? 0 : data.readableBytes()); // drain the client's writes
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.stopRead();
        close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int writeWithCallback() {
        writesDone = 0;
        switch (mode) {
            case "bytes":
                for (int i = 0; i < BATCH; i++) {
                    client.write(DATA, writeCb);
                }
                break;
            case "bytebuf":
                for (int i = 0; i < BATCH; i++) {
                    client.write(alloc.directBuffer(64).writeBytes(DATA), writeCb);
                }
                break;
            case "nettyFlushEach":
                for (int i = 0; i < BATCH; i++) {
                    clientChannel.writeAndFlush(alloc.directBuffer(64).writeBytes(DATA), clientChannel.newPromise())
                            .addListener(nettyListener);
                }
                break;
            case "netty":
                for (int i = 0; i < BATCH; i++) {
                    clientChannel.write(alloc.directBuffer(64).writeBytes(DATA), clientChannel.newPromise())
                            .addListener(nettyListener);
                }
                clientChannel.flush();
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
        do {
            loop.run(RunMode.ONCE); // write callbacks (pending phase), then the peer's reads (poll phase)
        } while (writesDone < BATCH);
        return writesDone;
    }
}
