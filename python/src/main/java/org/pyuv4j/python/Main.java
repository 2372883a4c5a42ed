package org.pyuv4j.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.graalvm.polyglot.PolyglotException;

/**
 * The launcher, {@code java -jar pyuv4j-python.jar}, a small {@code python} command:
 * <pre>
 *   java -jar python/target/pyuv4j-python.jar SCRIPT.py [ARGS]      run a pyuv program
 *   java -jar python/target/pyuv4j-python.jar -m MODULE [ARGS]      e.g. -m unittest discover -s tests
 *   java -jar python/target/pyuv4j-python.jar -c CODE [ARGS]
 * </pre>
 * System properties: {@code pyuv4j.transport} (epoll, nio...), {@code pyuv4j.python.posix} (native,
 * java), {@code polyglot.engine.userResourceCache} (where GraalPy unpacks its standard library;
 * default: {@code graalpy-resources} beside the jar when that directory is writable, else GraalPy's
 * own default under the home directory).
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the launcher and exits the JVM with the program's status.
     *
     * @param args as for {@code python}
     */
    public static void main(String[] args) {
        System.exit(launch(args));
    }

    /**
     * Runs the launcher without exiting the JVM.
     *
     * @param args as for {@code python}
     * @return the exit status
     */
    public static int launch(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.println("usage: java -jar pyuv4j-python.jar (SCRIPT.py | -m MODULE | -c CODE) [ARGS]");
            return args.length == 0 ? 2 : 0;
        }
        defaultResourceCache();
        String posix = System.getProperty("pyuv4j.python.posix", "native");
        boolean module = args[0].equals("-m");
        boolean code = args[0].equals("-c");
        if ((module || code) && args.length < 2) {
            System.err.println("Argument expected for the " + args[0] + " option");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, module || code ? 2 : 1, args.length);
        try (PyuvPython py = PyuvPython.builder().posixBackend(posix).arguments(rest).build()) {
            if (module) {
                return py.runModule(args[1]);
            }
            if (code) {
                return py.runCode(args[1]);
            }
            return py.runScript(Paths.get(args[0]));
        } catch (PolyglotException e) {
            if (e.isExit()) {
                return e.getExitStatus();
            }
            // The Python side printed the traceback already (pyuv._launch); this is GraalPy's own failure.
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static void defaultResourceCache() {
        String key = "polyglot.engine.userResourceCache";
        if (System.getProperty(key) != null) {
            return;
        }
        try {
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = (Files.isDirectory(jar) ? jar.getParent() : jar.toAbsolutePath().getParent()).resolve("graalpy-resources");
            Files.createDirectories(dir);
            if (Files.isWritable(dir)) {
                System.setProperty(key, dir.toString());
            }
        } catch (Exception e) {
            // not writable or not a file: GraalPy's default (~/.cache/org.graalvm.polyglot)
        }
    }
}
