package org.pyuv4j.internal.python;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Value;
import org.pyuv4j.Async;
import org.pyuv4j.Loop;
import org.pyuv4j.error.UVError;

/**
 * The Java half of a Python {@code pyuv.Signal}: the JVM's signal handler ({@code sun.misc.Signal},
 * looked up reflectively) wakes the loop through an {@link Async}; the callback runs on the loop
 * thread. While a signal has started handles, the JVM's own handling of it (for SIGTERM and SIGINT:
 * exiting) is replaced; it comes back when the last one stops. Not API.
 */
public final class SignalPeer {
    private static final int UV_EINVAL = -22;
    private static final int UV_ENOTSUP = -95;
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "HUP"), Map.entry(2, "INT"), Map.entry(3, "QUIT"), Map.entry(10, "USR1"),
            Map.entry(12, "USR2"), Map.entry(13, "PIPE"), Map.entry(14, "ALRM"), Map.entry(15, "TERM"),
            Map.entry(17, "CHLD"), Map.entry(28, "WINCH"));
    private static final Map<Integer, Registration> REGISTERED = new HashMap<>();

    /** The Java handle. */
    public final Async handle;
    private final AtomicInteger pending = new AtomicInteger();
    private int signum;

    /**
     * @param loop     the loop
     * @param onSignal Python {@code _on_signal(signum)}, once per delivery
     */
    public SignalPeer(Loop loop, Value onSignal) {
        this.handle = new Async(loop, a -> {
            int n = pending.getAndSet(0);
            int s = signum;
            for (int i = 0; i < n && s != 0; i++) {
                onSignal.executeVoid(s);
            }
        });
        handle.setRef(false);
    }

    /**
     * Starts watching {@code signum} (replacing the one watched before).
     *
     * @param signum a Linux signal number
     */
    public void start(int signum) {
        String name = NAMES.get(signum);
        if (name == null) {
            throw new UVError(signum <= 0 || signum > 64 ? UV_EINVAL : UV_ENOTSUP);
        }
        stop();
        synchronized (REGISTERED) {
            Registration r = REGISTERED.get(signum);
            if (r == null) {
                r = new Registration();
                r.previous = install(name, r);
                REGISTERED.put(signum, r);
            }
            r.peers.add(this);
        }
        this.signum = signum;
    }

    /** Stops watching; the JVM's handler comes back when no handle watches the signal any more. */
    public void stop() {
        int s = signum;
        if (s == 0) {
            return;
        }
        signum = 0;
        synchronized (REGISTERED) {
            Registration r = REGISTERED.get(s);
            if (r != null && r.peers.remove(this) && r.peers.isEmpty()) {
                REGISTERED.remove(s);
                restore(NAMES.get(s), r.previous);
            }
        }
    }

    private void deliver() {
        pending.incrementAndGet();
        handle.send();
    }

    private static final class Registration {
        final List<SignalPeer> peers = new CopyOnWriteArrayList<>();
        Object previous;

        void handle() {
            for (SignalPeer p : peers) {
                p.deliver();
            }
        }
    }

    private static Object install(String name, Registration r) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        r.handle();
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "pyuv4j-python-signal-handler";
                }
            };
            Object h = Proxy.newProxyInstance(SignalPeer.class.getClassLoader(), new Class<?>[] {handler}, onSignal);
            return signal.getMethod("handle", signal, handler)
                    .invoke(null, signal.getConstructor(String.class).newInstance(name), h);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new UVError(UV_EINVAL, "cannot handle SIG" + name + " in this JVM: " + e);
        }
    }

    private static void restore(String name, Object previous) {
        if (previous == null) {
            return;
        }
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            signal.getMethod("handle", signal, handler)
                    .invoke(null, signal.getConstructor(String.class).newInstance(name), previous);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // keep ours: it only wakes a loop
        }
    }
}
