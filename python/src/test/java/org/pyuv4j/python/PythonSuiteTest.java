package org.pyuv4j.python;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * This project's Python tests (python/src/test/python/test_py_*.py, plain pyuv programs that also
 * pass on CPython with the real pyuv 1.4) on pyuv4j-python, once per transport: all files in one
 * GraalPy context per transport, the contexts on one engine.
 */
class PythonSuiteTest {
    static final Path DIR = Paths.get(System.getProperty("pyuv4j.python.tests", "src/test/python"));

    static List<String> modules() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("test_py_") && n.endsWith(".py"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nio", "native", "io_uring"})
    void pythonTestsPass(String transport) throws IOException {
        String t = transport;
        if (t.equals("native")) {
            t = PythonTests.nativeTransport();
            assumeTrue(t != null, "no native transport (epoll, kqueue) on this machine");
        } else if (t.equals("io_uring")) {
            assumeTrue(PythonTests.loads(t), "io_uring unavailable here; the Python tests' io_uring run skipped");
        }
        List<String> modules = modules();
        assertTrue(modules.size() >= 6, modules::toString);
        PythonTests.Result r = PythonTests.run(t, DIR.toAbsolutePath().toString(), modules, Map.of());
        System.out.println("pyuv4j-python's Python tests on " + t + ":\n" + r.table());
        PythonTests.assertClean(r);
        assertTrue(r.run() > 80, r::table);
    }
}
