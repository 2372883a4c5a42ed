package org.pyuv4j;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutorGroup;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
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
            Adds adds = Adds.of(method, args);
            for (ChannelHandler h : adds.handlers) {
                pipeline.addBefore(adds.group, StreamEvents.NAME, adds.name, h);
            }
            return proxy;
        }
        String anchor;
        if (method.getName().equals("addFirst") && (anchor = headAnchor(pipeline)) != null) {
            Adds adds = Adds.of(method, args);
            for (int k = adds.handlers.length - 1; k >= 0; k--) { // addFirst(a, b) leaves a first
                pipeline.addAfter(adds.group, anchor, adds.name, adds.handlers[k]);
            }
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

    /**
     * The arguments of addFirst's and addLast's four shapes, {@code ([group,] name, handler)} and
     * {@code ([group,] handlers...)}; handlers up to the first null, as Netty's pipeline takes them.
     */
    private record Adds(EventExecutorGroup group, String name, ChannelHandler[] handlers) {
        static Adds of(Method method, Object[] args) {
            Class<?>[] types = method.getParameterTypes();
            int i = types[0] == EventExecutorGroup.class ? 1 : 0;
            EventExecutorGroup group = i == 1 ? (EventExecutorGroup) args[0] : null;
            if (types[i] != ChannelHandler[].class) {
                return new Adds(group, (String) args[i], new ChannelHandler[] {(ChannelHandler) args[i + 1]});
            }
            ChannelHandler[] given = (ChannelHandler[]) args[i];
            int n = 0;
            while (n < given.length && given[n] != null) {
                n++;
            }
            return new Adds(group, null, Arrays.copyOf(given, n));
        }
    }
}
