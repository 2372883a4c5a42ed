package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test program in a child JVM, for tests that exhaust a process-wide resource (descriptors, direct
 * memory) or depend on one: the test JVM's own threads (JUnit, Surefire, the JIT, class loading)
 * open and close descriptors at moments nobody controls, so such resources are only ever exhausted
 * in a child. The child runs a {@code main} class of the test class path on the transport under test,
 * with the suite's leak detector level, optionally under a descriptor limit ({@code ulimit -n}).
 *
 * <p>The conversation is line based: {@link #send} writes a command line to the child's stdin,
 * {@link #expect} waits (bounded) for the next stdout line and checks its prefix. The child's stderr
 * goes to a file under {@code target/} and is quoted in every failure message.
 */
public final class ChildJvm implements AutoCloseable {
    /** Every wait for the child is bounded by this. */
    public static final long TIMEOUT_SECONDS = 30;

    private final Process process;
    private final Path stderr;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private static final String EOF = "\u0000EOF";

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "child-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a child JVM.
     *
     * @param main          the class whose {@code main} runs
     * @param transport     the pyuv4j transport for {@code -Dpyuv4j.transport}
     * @param descriptorLimit the child's {@code ulimit -n}, or 0 for the inherited one
     * @param jvmFlags      further JVM flags (e.g. {@code -XX:MaxDirectMemorySize=...})
     * @param args          the program's arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> main, String transport, int descriptorLimit, List<String> jvmFlags,
                                 String... args) {
        List<String> cmd = new ArrayList<>();
        if (descriptorLimit > 0) {
            // ulimit then exec: the JVM itself runs under the limit, as a server started by a shell would.
            cmd.addAll(List.of("bash", "-c", "ulimit -n " + descriptorLimit + " && exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dpyuv4j.transport=" + transport,
                "-Dio.netty.leakDetection.level=paranoid",
                // small and quiet: one GC thread, no perf-data file, quick start
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                // HotSpot's own descriptors: the compiler threads (deciding whether to add one) and the
                // container support read cgroup files (memory.limit_in_bytes, memory.stat) at moments of
                // their choosing; one open at the moment of an exhaustion comes free just after it
                // (seen with strace: about one exhaustion in 40). With these off the JVM opens nothing.
                "-XX:-UseDynamicNumberOfCompilerThreads", "-XX:-UseContainerSupport"));
        cmd.addAll(jvmFlags);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        try {
            Path dir = Files.createDirectories(Path.of("target", "child-jvm"));
            Path err = Files.createTempFile(dir, main.getSimpleName(), ".stderr");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            return new ChildJvm(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(stdout failed: " + e + ")");
        } finally {
            lines.add(EOF);
        }
    }

    /**
     * Sends one command line.
     *
     * @param command the line
     */
    public void send(String command) {
        transcript.add("> " + command);
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            fail("cannot talk to the child (" + e + ")" + context());
        }
    }

    /**
     * Waits for the child's next line and checks that it starts with {@code prefix}.
     *
     * @param prefix what the line must start with
     * @return the rest of the line after the prefix, trimmed
     */
    public String expect(String prefix) {
        String line;
        try {
            line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (line == null) {
            fail("no answer from the child within " + TIMEOUT_SECONDS + " s, expected '" + prefix + "'" + context());
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            fail("the child ended, expected '" + prefix + "'" + context());
        }
        transcript.add("< " + line);
        if (!line.startsWith(prefix)) {
            fail("expected a line starting with '" + prefix + "' but the child said '" + line + "'" + context());
        }
        return line.substring(prefix.length()).trim();
    }

    /** {@link #send} then {@link #expect}{@code ("OK " + command)}; @return the rest of the answer */
    public String call(String command) {
        send(command);
        return expect("OK " + command.split(" ")[0]);
    }

    /**
     * Waits for the child to exit.
     *
     * @return its exit status
     */
    public int waitFor() {
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("the child did not exit within " + TIMEOUT_SECONDS + " s" + context());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** For failure messages: the conversation so far and the child's stderr. */
    public String context() {
        String err;
        try {
            err = Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err = "(" + e + ")";
        }
        if (err.length() > 4000) {
            err = "..." + err.substring(err.length() - 4000);
        }
        return "\nconversation:\n  " + String.join("\n  ", transcript) + "\nchild stderr:\n" + err;
    }

    /** Kills the child if it is still running. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
