package org.pyuv4j.python;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.pyuv4j.Loop;

/**
 * Runs pyuv programs on GraalPy over pyuv4j: a GraalPy context in which {@code import pyuv} is
 * pyuv4j's Python package (pyuv 1.4's API, python/src/main/python/pyuv).
 *
 * <p>Python handles and Java handles can share one {@link Loop}: give the loop to
 * {@link Builder#loop(Loop)} (or use {@link #run(Loop, Path, String...)}) and the Python program's
 * {@code pyuv.Loop.default_loop()} is that loop. The Python code must then run on the loop's thread,
 * as any handle code: call {@link #runScript}, {@link #runModule} or {@link #eval} from the thread
 * that runs (or will run) the loop. Whoever calls {@code run()}, Java or Python, runs the callbacks of
 * both.
 *
 * <p>GraalPy unpacks its standard library and native helpers once into its resource cache: set the
 * system property {@code polyglot.engine.userResourceCache} to a writable directory before the first
 * context is built (the launcher does so, see {@link Main}); without it GraalPy uses
 * {@code ~/.cache/org.graalvm.polyglot}.
 *
 * <pre>{@code
 * try (Loop loop = new Loop(); PyuvPython py = PyuvPython.builder().loop(loop).build()) {
 *     Timer javaTimer = new Timer(loop);            // a Java handle
 *     javaTimer.start(t -> t.close(), 1.0, 0.0);
 *     py.runScript(Path.of("server.py"));          // registers Python handles on the same loop
 *     loop.run();                                  // runs the callbacks of both
 * }
 * }</pre>
 */
public final class PyuvPython implements AutoCloseable {
    private static final String LIB = "org/pyuv4j/python/lib";

    private final Context context;
    private final List<String> arguments;
    /** Runs queue_work's Python callables (see Bridge.queueWork); shut down before the context closes. */
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pyuv4j-python-work");
        t.setDaemon(true);
        return t;
    });

    private PyuvPython(Builder b) {
        Context.Builder cb = b.engine == null ? contextBuilder(b.posixBackend)
                : contextOptions(Context.newBuilder("python"), b.posixBackend).engine(b.engine);
        b.options.forEach(cb::option);
        this.context = cb.build();
        this.arguments = List.copyOf(b.arguments);
        Value bindings = context.getPolyglotBindings();
        bindings.putMember("pyuv4j.transport", b.transport == null ? "" : b.transport);
        bindings.putMember("pyuv4j.workers", workers);
        if (b.loop != null) {
            bindings.putMember("pyuv4j.loop", b.loop);
        }
        context.eval("python", "import _pyuv4j_site");
    }

    /** {@return a builder with the defaults: native POSIX backend, the default transport, no loop given} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a pyuv script on {@code loop} (its {@code pyuv.Loop.default_loop()}) and closes the context.
     *
     * @param loop   the loop the script shares with Java code, or {@code null} for a loop of its own
     * @param script the script, run as {@code __main__}
     * @param args   {@code sys.argv[1:]}
     * @return 0, or the status the script gave to {@code sys.exit}
     * @throws PolyglotException if the script raised an exception other than {@code SystemExit}
     */
    public static int run(Loop loop, Path script, String... args) {
        try (PyuvPython py = builder().loop(loop).arguments(args).build()) {
            return py.runScript(script);
        }
    }

    /**
     * The context builder this class uses: all access (host classes, threads, native code, I/O),
     * GraalPy's native POSIX backend ({@code "native"}, real file descriptors for {@code socket} and
     * {@code os}: needed for {@code TCP.open(sock.fileno())}) or its Java one ({@code "java"}), and
     * pyuv4j's {@code pyuv} package on {@code sys.path}.
     *
     * @param posixBackend "native" or "java"
     * @return a new builder
     */
    public static Context.Builder contextBuilder(String posixBackend) {
        return contextOptions(Context.newBuilder("python").option("engine.WarnInterpreterOnly", "false"), posixBackend);
    }

    /**
     * An engine for several contexts ({@link Builder#engine}): GraalPy's startup work is shared.
     *
     * @return a new engine; close it after its contexts
     */
    public static Engine newEngine() {
        return Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
    }

    private static Context.Builder contextOptions(Context.Builder builder, String posixBackend) {
        return builder
                .allowAllAccess(true)
                .option("python.PosixModuleBackend", posixBackend)
                // GraalPy warns that the native backend's stdio is fd 0-2 whatever the embedding says:
                // that is what a script run from the launcher wants.
                .option("log.python.level", "SEVERE")
                .option("python.PythonPath", libraryPath());
    }

    /**
     * Where the {@code pyuv} package is: a directory when running from {@code target/classes}, else
     * {@code <jar>/org/pyuv4j/python/lib}, which Python's zipimport reads inside the jar.
     *
     * @return the sys.path entry
     */
    public static String libraryPath() {
        try {
            Path where = Paths.get(PyuvPython.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                return where.resolve(LIB).toString();
            }
            return where + "/" + LIB;
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the pyuv package of pyuv4j-python", e);
        }
    }

    /** {@return the GraalPy context (to evaluate code, read bindings...)} */
    public Context context() {
        return context;
    }

    /**
     * Evaluates Python code in this context's {@code __main__} module.
     *
     * @param code Python source
     * @return the value of the last expression, as GraalPy returns it
     */
    public Value eval(String code) {
        return context.eval("python", code);
    }

    /**
     * Runs a script as {@code __main__}, as {@code python SCRIPT ARGS}: {@code sys.argv} is the script
     * and the builder's arguments, and the script's directory comes first on {@code sys.path}.
     *
     * @param script the script
     * @return 0, or the status given to {@code sys.exit}
     * @throws PolyglotException if the script raised an exception other than {@code SystemExit}
     */
    public int runScript(Path script) {
        Objects.requireNonNull(script, "script");
        return call("run_path", script.toString());
    }

    /**
     * Runs a module as {@code __main__}, as {@code python -m MODULE ARGS} (e.g. {@code unittest}):
     * {@code sys.argv[0]} is the module's file and the working directory comes first on {@code sys.path}.
     *
     * @param module the module name
     * @return 0, or the status given to {@code sys.exit}
     * @throws PolyglotException if the module raised an exception other than {@code SystemExit}
     */
    public int runModule(String module) {
        Objects.requireNonNull(module, "module");
        return call("run_module", module);
    }

    /**
     * Runs code as {@code python -c CODE ARGS}.
     *
     * @param code the code
     * @return 0, or the status given to {@code sys.exit}
     */
    public int runCode(String code) {
        Objects.requireNonNull(code, "code");
        return call("run_code", code);
    }

    private int call(String how, String what) {
        Value runner = eval("import pyuv._launch as _l\n_l.main");
        try {
            Value status = runner.execute(how, what, arguments.toArray());
            return status.isNull() ? 0 : status.asInt();
        } catch (PolyglotException e) {
            if (e.isExit()) {
                return e.getExitStatus();
            }
            throw e;
        }
    }

    /**
     * Closes the GraalPy context (not the loop). GraalPy joins every thread that ran Python code
     * first: the threads that ran {@code queue_work} callables are ended here, so that it need not wait.
     */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }

    /** Options of a {@link PyuvPython} context. */
    public static final class Builder {
        private Loop loop;
        private String transport;
        private String posixBackend = "native";
        private Engine engine;
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The loop that {@code pyuv.Loop.default_loop()} returns in Python, shared with Java code.
         *
         * @param loop the loop, or {@code null}: Python then makes its own default loop
         * @return this builder
         */
        public Builder loop(Loop loop) {
            this.loop = loop;
            return this;
        }

        /**
         * The transport of the loops Python creates ({@code pyuv.Loop()}); default: pyuv4j's default
         * (the {@code pyuv4j.transport} system property, else the best one available).
         *
         * @param transport "epoll", "nio"... or {@code null}
         * @return this builder
         */
        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        /**
         * The program's arguments.
         *
         * @param args {@code sys.argv[1:]} for {@link #runScript} and {@link #runModule}
         * @return this builder
         */
        public Builder arguments(String... args) {
            this.arguments.clear();
            this.arguments.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * GraalPy's POSIX backend.
         *
         * @param backend "native" (the default: real descriptors) or "java" (GraalPy's emulation)
         * @return this builder
         */
        public Builder posixBackend(String backend) {
            this.posixBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Shares a polyglot engine between contexts (faster start of the second and later ones).
         *
         * @param engine the engine, or {@code null}
         * @return this builder
         */
        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        /**
         * Any other GraalPy or Truffle option ({@code python.*}, {@code engine.*}...).
         *
         * @param key   the option
         * @param value its value
         * @return this builder
         */
        public Builder option(String key, String value) {
            options.put(key, value);
            return this;
        }

        /** {@return the context} */
        public PyuvPython build() {
            return new PyuvPython(this);
        }
    }
}
