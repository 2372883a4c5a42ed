package org.pyuv4j.internal.python;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.graalvm.polyglot.Value;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Handle;
import org.pyuv4j.HandleCallback;
import org.pyuv4j.Idle;
import org.pyuv4j.Loop;
import org.pyuv4j.Prepare;
import org.pyuv4j.RunMode;
import org.pyuv4j.Timer;
import org.pyuv4j.WorkRequest;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.UVError;

/**
 * Static entry points of the Python package {@code pyuv} (python/src/main/python/pyuv/, one module per pyuv type)
 * into pyuv4j: plain arguments in, Java handles out, Python callables kept as {@link Value}s and
 * called with {@link Value#executeVoid}. Not API.
 */
public final class Bridge {
    private static final RunMode[] MODES = RunMode.values();

    private Bridge() {
    }

    /**
     * @param transport a transport name, or null or "" for the default
     * @return a new loop
     */
    public static Loop newLoop(String transport) {
        return transport == null || transport.isEmpty() ? new Loop() : new Loop(transport);
    }

    public static boolean run(Loop loop, int mode) {
        return loop.run(MODES[mode]);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void close(Handle handle, Value onClose) {
        handle.close((HandleCallback) h -> onClose.executeVoid());
    }

    public static void timerStart(Timer timer, Value cb, double timeout, double repeat) {
        timer.start(t -> cb.executeVoid(), timeout, repeat);
    }

    public static void watcherStart(Handle<?> handle, Value cb) {
        if (handle instanceof Idle) {
            ((Idle) handle).start(h -> cb.executeVoid());
        } else if (handle instanceof Prepare) {
            ((Prepare) handle).start(h -> cb.executeVoid());
        } else {
            ((Check) handle).start(h -> cb.executeVoid());
        }
    }

    public static void watcherStop(Handle<?> handle) {
        if (handle instanceof Idle) {
            ((Idle) handle).stop();
        } else if (handle instanceof Prepare) {
            ((Prepare) handle).stop();
        } else {
            ((Check) handle).stop();
        }
    }

    public static Async newAsync(Loop loop, Value cb) {
        return new Async(loop, a -> cb.executeVoid());
    }

    /**
     * @param work run on the pool; the Python side catches and prints its exceptions
     * @param done called with None or UV_ECANCELED on the loop thread
     */
    public static WorkRequest queueWork(Loop loop, Value work, Value done, Object executor) {
        Runnable run = work::executeVoid;
        if (executor instanceof ExecutorService) {
            // The pool thread waits while a thread of the context's own executor runs the Python code:
            // pyuv4j's pool threads then never attach to the context, whose close would wait for them.
            ExecutorService ex = (ExecutorService) executor;
            Runnable direct = run;
            run = () -> {
                try {
                    ex.submit(direct).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | RejectedExecutionException e) {
                    // the Python side prints its own exceptions; a closed context runs nothing
                }
            };
        }
        return loop.queueWork(run, error -> done.executeVoid(error));
    }

    /**
     * How a Java exception maps to Python: 0 HandleClosedError, 1 a pyuv error (name from
     * {@link #errorName}), 2 ValueError, 3 TypeError, 4 RuntimeError.
     *
     * @param t the exception
     * @return the kind
     */
    public static int kind(Throwable t) {
        if (t instanceof HandleClosedError) {
            return 0;
        }
        if (t instanceof UVError) {
            return 1;
        }
        if (t instanceof IllegalArgumentException) {
            return 2;
        }
        if (t instanceof NullPointerException) {
            return 3;
        }
        return 4;
    }

    public static String errorName(Throwable t) {
        return t.getClass().getSimpleName();
    }

    public static int errno(Throwable t) {
        return ((UVError) t).errno();
    }

    public static String message(Throwable t) {
        String m = t.getMessage();
        return m != null ? m : t.toString();
    }
}
