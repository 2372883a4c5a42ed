package org.pyuv4j.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.TCPError;
import org.pyuv4j.internal.EmfileReserve;
import org.pyuv4j.test.Descriptors;
import org.pyuv4j.test.LeakDetection;
import org.pyuv4j.test.Preload;

/**
 * The server of {@link AcceptEmfileTest}, run in a child JVM under a low descriptor limit so that its
 * descriptors, and no one else's, are exhausted. A pyuv4j echo server on 127.0.0.1 that greets each
 * connection it accepts with {@code "hello\n"}; the test drives it with one command per stdin line
 * and reads one answer line per command on stdout:
 *
 * <ul>
 *   <li>{@code exhaust}: opens /dev/null until EMFILE ({@code OK exhaust <n>});
 *   <li>{@code sockets}: while exhausted, making a socket must fail with {@code TCPError(UV_EMFILE)}
 *       and leave no handle, and bind/connect/listen of a handle without a socket must too;
 *   <li>{@code free <k>}: closes k of those descriptors;
 *   <li>{@code release}: closes them all, and the handle whose socket could not be made binds now;
 *   <li>{@code status}: {@code accepted=<n> errors=[...] reserve=<held>}: connections accepted,
 *       errnos the listen callback got, reserve descriptors held;
 *   <li>{@code quit}: closes everything ({@code OK quitting}), runs the loop to its end, closes it
 *       and checks Netty's leak detector ({@code DONE no leaks}, exit 0).
 * </ul>
 *
 * Before it prints {@code PORT <port>}, it loads every pyuv4j class and opens every jar
 * ({@link Preload}), then runs one exhaustion cycle on itself (a client of its own, shed), so that
 * the exhausted phases the test drives need no class file.
 */
public final class EmfileServer {
    private static final String HOST = "127.0.0.1";
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    private final Loop loop = new Loop();
    private final Descriptors hogs = new Descriptors();
    private final List<TCP> connections = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private TCP server;
    private TCP lazy;
    private int accepted;

    public static void main(String[] args) throws IOException {
        LeakDetection.install();
        int preloaded = Preload.everything("org/pyuv4j");
        new EmfileServer().run(preloaded);
    }

    private void run(int preloaded) throws IOException {
        server = new TCP(loop);
        server.bind(HOST, 0);
        server.listen((s, e) -> {
            if (e != null) {
                errors.add(Errno.errorcode(e));
                return;
            }
            TCP conn = new TCP(loop);
            s.accept(conn);
            accepted++;
            connections.add(conn);
            conn.write(HELLO);
            conn.startRead((c, data, re) -> {
                if (data != null) {
                    c.write(data);
                } else {
                    connections.remove(c);
                    c.close();
                }
            });
        });
        lazy = new TCP(loop); // no socket yet: one is made at bind time
        String warmUp = warmUp();
        System.out.println("PORT " + server.getsockname().port() + " preloaded=" + preloaded + " warm-up=" + warmUp);
        Thread commands = new Thread(() -> readCommands(), "commands");
        commands.setDaemon(true);
        commands.start();
        loop.run();
        loop.close();
        hogs.close();
        try {
            LeakDetection.assertNoLeaks();
        } catch (AssertionError leak) {
            System.out.println("FAIL done " + leak.getMessage().replace('\n', ' '));
            System.exit(1);
        }
        System.out.println("DONE no leaks");
        System.exit(0);
    }

    /** One exhaustion cycle on itself: a client made first, then EMFILE, then the connect is shed. */
    private String warmUp() {
        TCP client = new TCP(loop, StandardProtocolFamily.INET);
        String[] seen = {"no callback"};
        Timer bound = new Timer(loop);
        bound.start(t -> loop.stop(), 10, 0);
        hogs.exhaust();
        client.connect(server.getsockname(), (c, e) -> c.startRead((x, data, re) -> {
            seen[0] = data != null ? "data" : Errno.errorcode(re);
            x.close();
            loop.stop();
        }));
        loop.run();
        bound.close();
        try {
            hogs.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return seen[0] + ",errors=" + errors();
    }

    /** The listen callback's errnos, each with its count: "[]", or "[UV_EMFILE x12]". */
    private String errors() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String e : errors) {
            counts.merge(e, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        counts.forEach((e, n) -> out.add(e + " x" + n));
        return out.toString();
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.trim();
                loop.execute(() -> System.out.println(answer(command)));
                if (command.equals("quit")) {
                    return;
                }
            }
            loop.execute(() -> answer("quit")); // the test went away
        } catch (IOException e) {
            loop.execute(() -> answer("quit"));
        }
    }

    private String answer(String command) {
        String[] words = command.split(" ");
        try {
            switch (words[0]) {
                case "exhaust":
                    return "OK exhaust " + hogs.exhaust();
                case "sockets":
                    return sockets();
                case "free":
                    for (int i = Integer.parseInt(words[1]); i > 0; i--) {
                        hogs.releaseOne();
                    }
                    return "OK free";
                case "release":
                    hogs.close();
                    lazy.bind(HOST, 0);
                    lazy.close();
                    return "OK release";
                case "status":
                    return "OK status accepted=" + accepted + " errors=" + errors() + " reserve=" + EmfileReserve.processHeld();
                case "quit":
                    server.close();
                    if (!lazy.isClosed()) {
                        lazy.close();
                    }
                    for (TCP c : connections) {
                        c.close();
                    }
                    connections.clear();
                    return "OK quitting";
                default:
                    return "FAIL unknown command " + command;
            }
        } catch (IOException | RuntimeException e) {
            return "FAIL " + command + " " + e;
        }
    }

    /** While exhausted: sockets cannot be made, cleanly (pyuv's uv_tcp_init_ex and maybe_new_socket). */
    private String sockets() {
        int handles = loop.getHandles().size();
        List<String> wrong = new ArrayList<>();
        expectEmfile("new TCP(loop, INET)", () -> new TCP(loop, StandardProtocolFamily.INET), wrong);
        if (loop.getHandles().size() != handles) {
            wrong.add("a failed constructor left a handle");
        }
        expectEmfile("bind", () -> lazy.bind(HOST, 0), wrong);
        expectEmfile("connect", () -> lazy.connect(server.getsockname(), (h, e) -> { }), wrong);
        expectEmfile("listen", () -> lazy.listen((h, e) -> { }), wrong);
        return wrong.isEmpty() ? "OK sockets" : "FAIL sockets " + wrong;
    }

    private static void expectEmfile(String what, Runnable call, List<String> wrong) {
        try {
            call.run();
            wrong.add(what + " did not raise");
        } catch (TCPError e) {
            if (e.errno() != Errno.UV_EMFILE) {
                wrong.add(what + " raised " + Errno.errorcode(e.errno()));
            }
        } catch (RuntimeException e) {
            wrong.add(what + " raised " + e);
        }
    }
}
