package org.pyuv4j;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * Benchmark-only access to package-private state of core (the JMH sources live in package
 * {@code org.pyuv4j} for this, on the class path; nothing in core is changed). Lets a benchmark fire
 * Netty events into a handle's pipeline from inside the loop's poll phase, exactly where the
 * transport fires them.
 */
public final class BenchAccess {
    private BenchAccess() {
    }

    /** @return the Netty channel under a stream handle */
    public static Channel channel(Stream<?> stream) {
        return stream.channel;
    }

    /** @return the loop's Netty event loop; tasks given to it run in the poll phase, outside any callback */
    public static EventLoop io(Loop loop) {
        return loop.io;
    }
}
