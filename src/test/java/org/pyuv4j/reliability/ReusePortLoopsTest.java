package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * Every core with {@link TCP#REUSEPORT} (GitHub issue 11): four loops on four threads bind the same
 * address, and the kernel spreads connections over them. 400 connections all echo; every loop gets
 * some (the kernel hashes each connection to one of the four sockets: the chance that one of them gets
 * none of 400 is below 1e-49); every callback runs on its own loop's thread; once one loop has stopped,
 * the other three serve every new connection (its socket left the kernel's group when it closed).
 */
class ReusePortLoopsTest extends ReliabilityTestCase {
    private static final int LOOPS = 4;
    private static final int FIRST_WAVE = 400;
    private static final int SECOND_WAVE = 100;

    private final List<List<TCP>> open = new ArrayList<>();
    private final AtomicIntegerArray accepted = new AtomicIntegerArray(LOOPS);

    @Test
    void fourLoopsShareOnePortAndTheOthersServeWhenOneStops() throws Exception {
        Timer dog = watchdog(30);
        try (LoopThreads servers = new LoopThreads(LOOPS, i -> open.get(i).forEach(TCP::close))) {
            Address address = null;
            for (int i = 0; i < LOOPS; i++) {
                open.add(new ArrayList<>());
                TCP server = new TCP(servers.loops.get(i));
                server.bind(address == null ? Address.of(HOST, 0) : address, TCP.REUSEPORT);
                address = address == null ? server.getsockname() : address;
                listen(servers, i, server);
            }
            servers.start();

            int[] echoed = {0};
            List<String> problems = new ArrayList<>();
            Runnable[] secondWave = {null};
            Address target = address;
            wave(target, FIRST_WAVE, echoed, problems, () -> {
                int[] before = snapshot();
                servers.stop(0); // loop 0 closes its listener and connections on its own thread
                after(0.001, () -> joinThenSecondWave(servers, target, before, echoed, problems));
            });
            loop.run();
            assertEquals(List.of(), problems);
            assertEquals(FIRST_WAVE + SECOND_WAVE, echoed[0], "every connection echoed");
            assertEquals(List.of(), List.copyOf(servers.wrongThread), "every callback on its own loop's thread");
            assertEquals(List.of(), List.copyOf(servers.failures));
            figure("REUSEPORT 4 loops", "%d connections over 4 loops on one port: %s accepted; then loop 0 stopped"
                    + " and %d more were served by the other three", FIRST_WAVE, Arrays.toString(firstWave), SECOND_WAVE);
        }
        dog.close();
    }

    private int[] firstWave;

    private void joinThenSecondWave(LoopThreads servers, Address target, int[] before, int[] echoed, List<String> problems) {
        try {
            assertTrue(servers.join(0), "loop 0 stopped");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        firstWave = before;
        for (int i = 0; i < LOOPS; i++) {
            assertTrue(before[i] > 0, () -> "every loop got connections: " + Arrays.toString(before));
        }
        wave(target, SECOND_WAVE, echoed, problems, () -> {
            int[] now = snapshot();
            assertEquals(before[0], now[0], "the stopped loop accepted nothing more");
        });
    }

    private int[] snapshot() {
        int[] a = new int[LOOPS];
        for (int i = 0; i < LOOPS; i++) {
            a[i] = accepted.get(i);
        }
        return a;
    }

    private void listen(LoopThreads servers, int i, TCP server) {
        open.get(i).add(server);
        server.listen((s, e) -> {
            servers.onOwnThread(i, "listen callback");
            TCP conn = new TCP(s.getLoop());
            s.accept(conn);
            accepted.incrementAndGet(i);
            open.get(i).add(conn);
            conn.startRead((c, data, re) -> {
                servers.onOwnThread(i, "read callback");
                if (data != null) {
                    c.write(data, (w, we) -> servers.onOwnThread(i, "write callback"));
                } else {
                    open.get(i).remove(c);
                    c.close();
                }
            });
        }, 1024);
    }

    /** {@code count} clients on the test's loop, 50 at a time: each sends its number and expects it back. */
    private void wave(Address target, int count, int[] echoed, List<String> problems, Runnable done) {
        int[] started = {0};
        int[] finished = {0};
        Runnable[] next = {null};
        next[0] = () -> {
            int n = started[0]++;
            byte[] msg = ("client " + n).getBytes(StandardCharsets.US_ASCII);
            TCP c = new TCP(loop);
            c.connect(target, (h, e) -> {
                if (e != null) {
                    problems.add("connect " + n + ": " + Errno.errorcode(e));
                    h.close();
                    finished[0]++;
                    return;
                }
                StringBuilder got = new StringBuilder();
                h.startRead((x, data, re) -> {
                    if (data != null) {
                        got.append(new String(data, StandardCharsets.US_ASCII));
                        if (got.length() < msg.length) {
                            return;
                        }
                        if (!got.toString().equals(new String(msg, StandardCharsets.US_ASCII))) {
                            problems.add(n + " echoed " + got);
                        }
                        echoed[0]++;
                    } else {
                        problems.add(n + " read " + Errno.errorcode(re));
                    }
                    x.close();
                    if (++finished[0] == count) {
                        done.run();
                    } else if (started[0] < count) {
                        next[0].run();
                    }
                });
                h.write(msg);
            });
        };
        for (int i = 0; i < Math.min(50, count); i++) {
            next[0].run();
        }
    }
}
