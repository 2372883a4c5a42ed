package org.pyuv4j.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;

/** Runs unittest modules in one GraalPy context per call, on one engine for the whole test JVM. */
final class PythonTests {
    /** One engine for every context of this JVM: the second context starts in a fraction of the first's time. */
    static final Engine ENGINE = PyuvPython.newEngine();

    private PythonTests() {
    }

    record Row(String module, int run, int failures, int errors, int skipped, double seconds) {
    }

    record Result(List<Row> rows, String report) {
        int problems() {
            return rows.stream().mapToInt(r -> r.failures + r.errors).sum();
        }

        int run() {
            return rows.stream().mapToInt(r -> r.run).sum();
        }

        String table() {
            StringBuilder sb = new StringBuilder();
            for (Row r : rows) {
                sb.append(String.format("%-32s %3d run, %d failures, %d errors, %d skipped, %.1f s%n",
                        r.module, r.run, r.failures, r.errors, r.skipped, r.seconds));
            }
            return sb.toString();
        }
    }

    static Result run(String transport, String directory, List<String> modules, Map<String, String> env) {
        long t0 = System.nanoTime();
        PyuvPython py = PyuvPython.builder().engine(ENGINE).transport(transport).build();
        try {
            py.eval(resource("run_unittests.py"));
            long t1 = System.nanoTime();
            Value result = py.context().getBindings("python").getMember("run")
                    .execute(directory, modules.toArray(), env);
            long t2 = System.nanoTime();
            System.out.printf("GraalPy context: start %d ms, tests %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            Value rows = result.getArrayElement(0);
            List<Row> out = new ArrayList<>();
            for (long i = 0; i < rows.getArraySize(); i++) {
                Value r = rows.getArrayElement(i);
                out.add(new Row(r.getArrayElement(0).asString(), r.getArrayElement(1).asInt(),
                        r.getArrayElement(2).asInt(), r.getArrayElement(3).asInt(), r.getArrayElement(4).asInt(),
                        r.getArrayElement(5).asDouble()));
            }
            return new Result(out, result.getArrayElement(1).asString());
        } finally {
            long t3 = System.nanoTime();
            py.close();
            System.out.printf("GraalPy context: close %d ms%n", (System.nanoTime() - t3) / 1_000_000);
        }
    }

    /** {@return "epoll" or "kqueue" where that transport loads here, else null} */
    static String nativeTransport() {
        for (String t : new String[] {"epoll", "kqueue"}) {
            if (loads(t)) {
                return t;
            }
        }
        return null;
    }

    /** {@return whether a loop on this transport can be made here} */
    static boolean loads(String transport) {
        try (org.pyuv4j.Loop l = new org.pyuv4j.Loop(transport)) {
            return true;
        } catch (RuntimeException e) {
            return false; // not here
        }
    }

    static String resource(String name) {
        try (InputStream in = PythonTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertClean(Result r) {
        assertEquals(0, r.problems(), () -> r.table() + "\n" + r.report());
    }
}
