package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.Async;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Load: 10,000 concurrent connections to one loop on loopback. The server is this test's loop; the
 * clients live in a child JVM ({@link FloodClient}, pyuv4j on the same transport) because both ends
 * of 10,000 connections would not fit in one process's 20,000 descriptors. Every connection must be
 * accepted, echo its distinct message, be held open until all are (so the server holds all 10,000
 * at once), and close cleanly; the loop must end with no handles.
 *
 * <p>Soak ({@code -Dpyuv4j.soak=true}): five waves of 10,000 against the same server.
 */
@Timeout(180)
class ConnectionFloodTest extends ReliabilityTestCase {
    private static final int CONNECTIONS = 10_000;
    private static final int WAVES = (int) scaled(1, 5);
    /** Connects and echoes in flight at once in the client: below the 511 backlog, so no SYN is dropped. */
    private static final int CLIENT_CONCURRENCY = 256;
    private static final double WAVE_LIMIT_SECONDS = 60;
    private static final Pattern RESULT = Pattern.compile("^RESULT (.*)$", Pattern.MULTILINE);

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    @Test
    void tenThousandConcurrentConnectionsEchoAndCloseCleanly() throws Exception {
        long limit = maxFds();
        assumeTrue(limit < 0 || limit >= CONNECTIONS + 1000, "SKIPPED: this process may open only " + limit
                + " descriptors; " + CONNECTIONS + " connections need " + (CONNECTIONS + 1000)
                + " (raise ulimit -n)");
        for (int wave = 1; wave <= WAVES; wave++) {
            runWave(wave);
        }
    }

    private void runWave(int wave) throws Exception {
        int[] accepted = {0};
        int[] open = {0};
        int[] peakOpen = {0};
        int[] closed = {0};
        long[] echoedBytes = {0};
        Map<String, Integer> serverErrors = new TreeMap<>();
        long fdsBefore = openFds();
        long t0 = System.nanoTime();
        Path out = Files.createTempFile("flood-client", ".out");
        Path errOut = Files.createTempFile("flood-client", ".err");
        int[] exit = {-1};

        TCP server = new TCP(loop);
        Async[] exited = new Async[1];
        Runnable maybeFinish = () -> {
            if (exit[0] >= 0 && closed[0] == accepted[0] && !server.isClosed()) {
                server.close();
                exited[0].close();
            }
        };
        // Woken from the JDK's process reaper thread (Async.send is thread-safe).
        exited[0] = new Async(loop, a -> {
            if (exit[0] < 0 && !child.isAlive()) {
                exit[0] = child.exitValue();
                maybeFinish.run();
            }
        });
        server.bind(HOST, 0);
        server.listen((srv, error) -> {
            assertNull(error, () -> "listen callback error " + err(error));
            TCP conn = new TCP(loop);
            srv.accept(conn);
            accepted[0]++;
            open[0]++;
            peakOpen[0] = Math.max(peakOpen[0], open[0]);
            conn.startRead((c, data, e) -> {
                if (data != null) {
                    echoedBytes[0] += data.length;
                    c.write(data, (x, we) -> {
                        if (we != null) {
                            serverErrors.merge("write " + err(we), 1, Integer::sum);
                        }
                    });
                    return;
                }
                if (e != Errno.UV_EOF) {
                    serverErrors.merge("read " + err(e), 1, Integer::sum);
                }
                c.close(x -> {
                    open[0]--;
                    closed[0]++;
                    maybeFinish.run();
                });
            });
        });
        int port = server.getsockname().port();

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dpyuv4j.transport=" + transport(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                FloodClient.class.getName(),
                HOST, Integer.toString(port), Integer.toString(CONNECTIONS), Integer.toString(CLIENT_CONCURRENCY),
                Double.toString(WAVE_LIMIT_SECONDS - 10));
        child = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(errOut.toFile()).start();
        child.getOutputStream().close(); // the child reads nothing
        child.onExit().thenRun(exited[0]::send);
        runBounded(WAVE_LIMIT_SECONDS);
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "client process did not exit");
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(errOut, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(errOut);
        String diag = "client exit " + child.exitValue() + "\nstdout: " + stdout + "\nstderr: " + tailOf(stderr);
        Matcher m = RESULT.matcher(stdout);
        assertTrue(m.find(), "no RESULT line from the client: " + diag);
        Map<String, String> r = parse(m.group(1));
        assertEquals(0, child.exitValue(), diag);
        assertEquals(transport(), r.get("transport"), "the client runs on the transport under test");
        assertEquals(String.valueOf(CONNECTIONS), r.get("connected"), diag);
        assertEquals(String.valueOf(CONNECTIONS), r.get("echoed"), diag);
        assertEquals("0", r.get("failed"), diag);
        assertEquals(CONNECTIONS, accepted[0], "accepted");
        assertEquals(CONNECTIONS, peakOpen[0], "the server held every connection at once");
        assertEquals(CONNECTIONS, closed[0], "closed");
        assertEquals((long) CONNECTIONS * FloodClient.MESSAGE_SIZE, echoedBytes[0], "bytes echoed");
        assertEquals(Map.of(), serverErrors, "server-side errors");
        assertNoneLeft(loop.getHandles());
        long fdsAfter = openFds();
        figure("flood", "wave %d: %d connections accepted, echoed, held at once and closed in %d ms"
                        + " (client: connect+echo phase %s ms, %s ms in all); fds before %d, after %d",
                wave, CONNECTIONS, elapsedMs, r.get("connectPhaseMs"), r.get("totalMs"), fdsBefore, fdsAfter);
    }

    private static String tailOf(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> map = new TreeMap<>();
        for (String kv : line.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                map.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return map;
    }
}
