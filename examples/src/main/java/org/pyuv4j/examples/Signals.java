package org.pyuv4j.examples;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * SIGTERM/SIGINT handling for the example servers. With {@code sun.misc.Signal} (jdk.unsupported,
 * looked up reflectively so the build stays free of internal-API warnings) the signal only starts a
 * graceful stop: the server closes its handles, {@code main} returns and the JVM exits with status 0.
 * Where that API is missing, a shutdown hook does the same stop, and the JVM exits with 143 as usual.
 */
final class Signals {
    private Signals() {
    }

    /**
     * @param stop       starts the graceful stop; thread-safe, may be called twice
     * @param awaitDone  for the shutdown-hook fallback: blocks until the server has stopped
     */
    static void onTerminate(Runnable stop, Runnable awaitDone) {
        if (handle("TERM", stop) & handle("INT", stop)) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            awaitDone.run();
        }, "echo-shutdown"));
    }

    private static boolean handle(String name, Runnable stop) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    stop.run();
                    return null;
                }
                return method.getName().equals("toString") ? "pyuv4j-example-signal-handler" : null;
            };
            Object h = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, onSignal);
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
