package org.pyuv4j.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read buffer every read allocates before its callback, from Netty's default allocator:
 * {@code ioBuffer(size)}, write 64 bytes, release. 65536 is pyuv4j's fixed read size
 * ({@code Stream.READ_ALLOCATOR}, libuv's 64 KiB); 2048 is Netty's adaptive first guess, which then
 * shrinks towards the sizes actually read (64 for a 64-byte ping-pong).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class RecvBufferBenchmark {
    @Param({"65536", "16384", "2048", "64"})
    public int size;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Benchmark
    public int recvBuffer() {
        ByteBuf buf = alloc.ioBuffer(size);
        buf.writeBytes(Fixture.DATA);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }
}
