package org.pyuv4j;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutorGroup;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.pyuv4j.spi.Transport;

/**
 * A stream's Netty pipeline as {@link Stream#pipeline()} hands it out: the same pipeline, except that
 * {@code addLast} places handlers in front of pyuv4j's own handler ({@value StreamEvents#NAME}), which
 * stays the last inbound handler so that what the user's handlers produce reaches the read callbacks;
 * {@code addFirst} places them behind the transport's head handlers, if it has any.
 * Every other method is the pipeline's own; a method that returns the pipeline returns this view.
 */
final class PipelineView implements InvocationHandler {
    private final ChannelPipeline pipeline;

    private PipelineView(ChannelPipeline pipeline) {
        this.pipeline = pipeline;
    }

    static ChannelPipeline of(ChannelPipeline pipeline) {
        return (ChannelPipeline) Proxy.newProxyInstance(ChannelPipeline.class.getClassLoader(),
                new Class<?>[] {ChannelPipeline.class}, new PipelineView(pipeline));
    }

    /**
     * {@return the name of the last of the transport's head handlers, or null when there is none}
     * TLS and the user's {@code addFirst} go after it.
     */
    static String headAnchor(ChannelPipeline pipeline) {
        String anchor = null;
        for (String name : pipeline.names()) {
            if (!name.startsWith(Transport.HEAD_HANDLER_PREFIX)) {
                break;
            }
            anchor = name;
        }
        return anchor;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("addLast") && pipeline.get(StreamEvents.NAME) != null) {
            addInFront(args);
            return proxy;
        }
        if (method.getName().equals("addFirst") && headAnchor(pipeline) != null) {
            addBehindTheHead(args);
            return proxy;
        }
        if (method.getDeclaringClass() == Object.class) {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    return "pyuv4j view of " + pipeline;
            }
        }
        try {
            Object result = method.invoke(pipeline, args);
            return result == pipeline ? proxy : result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The four shapes of addFirst, as addAfter(the transport's last head handler), in order. */
    private void addBehindTheHead(Object[] args) {
        EventExecutorGroup group = null;
        int i = 0;
        if (args[0] instanceof EventExecutorGroup g) {
            group = g;
            i = 1;
        } else if (args[0] == null && args.length == 3) {
            i = 1;
        }
        String anchor = headAnchor(pipeline);
        if (args[i] instanceof ChannelHandler[] handlers) {
            // addFirst(a, b) leaves a first: insert them in reverse behind the anchor
            for (int k = handlers.length - 1; k >= 0; k--) {
                if (handlers[k] != null) {
                    pipeline.addAfter(group, anchor, null, handlers[k]);
                }
            }
            return;
        }
        pipeline.addAfter(group, anchor, (String) args[i], (ChannelHandler) args[i + 1]);
    }

    /** The four shapes of addLast, as addBefore(pyuv4j). */
    private void addInFront(Object[] args) {
        EventExecutorGroup group = null;
        int i = 0;
        if (args[0] instanceof EventExecutorGroup g) {
            group = g;
            i = 1;
        } else if (args[0] == null && args.length == 3) {
            i = 1;
        }
        if (args[i] instanceof ChannelHandler[] handlers) {
            for (ChannelHandler h : handlers) {
                if (h != null) {
                    pipeline.addBefore(group, StreamEvents.NAME, null, h);
                }
            }
            return;
        }
        pipeline.addBefore(group, StreamEvents.NAME, (String) args[i], (ChannelHandler) args[i + 1]);
    }
}
