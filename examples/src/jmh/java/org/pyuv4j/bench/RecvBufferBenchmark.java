package org.pyuv4j.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * The read buffer every read allocates before its callback, from Netty's default allocator:
 * {@code ioBuffer(size)}, write 64 bytes, release. 65536 is pyuv4j's fixed read size
 * ({@code Stream.READ_ALLOCATOR}, libuv's 64 KiB); 2048 is Netty's adaptive first guess, which then
 * shrinks towards the sizes actually read (64 for a 64-byte ping-pong).
 */
public class RecvBufferBenchmark extends Settings {
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
