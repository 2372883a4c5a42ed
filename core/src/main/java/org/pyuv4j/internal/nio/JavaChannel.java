package org.pyuv4j.internal.nio;

import io.netty.channel.Channel;
import io.netty.channel.nio.AbstractNioChannel;
import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;

/**
 * The JDK channel under a Netty NIO channel that pyuv4j did not make (one a user adopted with
 * {@code TCP.wrap}): Netty keeps it behind the protected {@code javaChannel()}, reached by reflection.
 */
final class JavaChannel {
    private static final Method JAVA_CHANNEL = javaChannelMethod();

    private JavaChannel() {
    }

    private static Method javaChannelMethod() {
        try {
            Method m = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static SelectableChannel of(Channel channel) {
        if (JAVA_CHANNEL == null || !(channel instanceof AbstractNioChannel)) {
            throw new UVError(Errno.UV_ENOTSUP, "this NIO channel's socket cannot be reached: " + channel);
        }
        try {
            return (SelectableChannel) JAVA_CHANNEL.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new UVError(Errno.UV_ENOTSUP, "this NIO channel's socket cannot be reached: " + e, e);
        }
    }
}
