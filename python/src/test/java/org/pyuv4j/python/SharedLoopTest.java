package org.pyuv4j.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/** Python handles and Java handles on one Loop: a Java client of a Python server, both on the loop's thread. */
class SharedLoopTest {
    @TempDir
    Path tmp;

    private Path script() throws IOException {
        Path p = tmp.resolve("shared_loop.py");
        Files.writeString(p, PythonTests.resource("shared_loop.py"));
        return p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java client on the loop: sends "hello", collects the echo, shuts down. */
    private static StringBuilder javaClient(Loop loop, int port, List<String> order) {
        StringBuilder got = new StringBuilder();
        TCP client = new TCP(loop);
        client.connect("127.0.0.1", port, (c, error) -> {
            order.add("java connect " + error);
            c.startRead((cc, data, err) -> {
                if (data != null) {
                    got.append(new String(data, StandardCharsets.UTF_8));
                    cc.shutdown();
                } else {
                    cc.close();
                }
            });
            c.write("hello".getBytes(StandardCharsets.UTF_8));
        });
        return got;
    }

    @Test
    void javaRunsTheLoopThatAPythonScriptSetUp() throws IOException {
        int port = freePort();
        List<String> order = new ArrayList<>();
        try (Loop loop = new Loop();
             PyuvPython py = PyuvPython.builder().engine(PythonTests.ENGINE).loop(loop).arguments(String.valueOf(port)).build()) {
            assertEquals(0, py.runScript(script())); // returns once the server listens
            Value pyLoop = py.eval("import pyuv\npyuv.Loop.default_loop()");
            assertTrue(py.eval("pyuv.Loop.default_loop()._j").asHostObject() == loop);
            assertFalse(pyLoop.isNull());
            Timer javaTimer = new Timer(loop);
            javaTimer.start(t -> {
                order.add("java timer");
                t.close();
            }, 0.0, 0.0);
            StringBuilder got = javaClient(loop, port, order);
            assertFalse(loop.run());
            assertEquals("py:hello", got.toString());
            assertEquals(List.of("java timer", "java connect null"), order);
            assertEquals(0, loop.getHandles().size());
        }
    }

    @Test
    void pythonRunsTheLoopThatJavaHandlesShare() throws IOException {
        int port = freePort();
        List<String> order = new ArrayList<>();
        try (Loop loop = new Loop()) {
            StringBuilder[] got = new StringBuilder[1];
            Timer later = new Timer(loop); // the client connects once Python's run() runs the loop
            later.start(t -> {
                got[0] = javaClient(loop, port, order);
                t.close();
            }, 0.0, 0.0);
            int status;
            try (PyuvPython py = PyuvPython.builder().engine(PythonTests.ENGINE).loop(loop)
                    .arguments(String.valueOf(port), "run").build()) {
                status = py.runScript(script()); // pyuv's loop.run() runs the Java client too
            }
            assertEquals(0, status);
            assertEquals("py:hello", got[0].toString());
            assertEquals(List.of("java connect null"), order);
        }
    }
}
