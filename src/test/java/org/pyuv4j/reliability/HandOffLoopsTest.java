package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * Every core with a hand-off (GitHub issue 11): one acceptor loop gives each connection to one of two
 * worker loops, round robin, with {@link TCP#acceptTo}; each worker echoes on its own thread. 1,000
 * connections, each with its own random bytes, all come back intact (SHA-256 per connection), the
 * workers get 500 each, and every callback ran on its loop's thread. A target loop that closed before
 * the connection arrived closes it (the client reads EOF): nothing leaks (descriptors, and buffers at
 * PARANOID).
 */
class HandOffLoopsTest extends ReliabilityTestCase {
    private static final int CONNECTIONS = 1000;
    private static final int WORKERS = 2;

    @Test
    void anAcceptorHandsConnectionsToTwoWorkerLoops() throws Exception {
        Timer dog = watchdog(30);
        long fdsBefore = openFds();
        List<List<TCP>> open = new ArrayList<>();
        AtomicIntegerArray handled = new AtomicIntegerArray(WORKERS + 1);
        // loop 0 accepts, loops 1 and 2 serve
        try (LoopThreads loops = new LoopThreads(WORKERS + 1, i -> open.get(i).forEach(TCP::close))) {
            for (int i = 0; i <= WORKERS; i++) {
                open.add(new ArrayList<>());
            }
            TCP acceptor = new TCP(loops.loops.get(0));
            acceptor.bind(HOST, 0);
            int[] turn = {0};
            acceptor.listen((s, e) -> {
                loops.onOwnThread(0, "listen callback");
                int w = 1 + turn[0]++ % WORKERS;
                Loop target = loops.loops.get(w);
                s.acceptTo(target, conn -> {
                    loops.onOwnThread(w, "onAccepted");
                    handled.incrementAndGet(w);
                    open.get(w).add(conn);
                    echo(loops, w, conn, open.get(w));
                });
            }, 1024);
            open.get(0).add(acceptor);
            int port = acceptor.getsockname().port(); // before its loop's thread owns it
            loops.start();

            List<String> problems = new ArrayList<>();
            int[] ok = {0};
            clients(port, problems, ok);
            loop.run();
            assertEquals(List.of(), problems);
            assertEquals(CONNECTIONS, ok[0], "every connection echoed intact");
            assertEquals(CONNECTIONS / WORKERS, handled.get(1));
            assertEquals(CONNECTIONS / WORKERS, handled.get(2));
            assertEquals(List.of(), List.copyOf(loops.wrongThread));
            assertEquals(List.of(), List.copyOf(loops.failures));
        }
        dog.close();
        loop.run();
        assertNoDescriptorLeak(fdsBefore, "after the hand-offs");
        figure("hand-off 2 workers", "%d connections accepted by one loop and handed to 2 worker loops"
                + " (%d and %d), every echo intact (SHA-256)", CONNECTIONS, handled.get(1), handled.get(2));
    }

    private static void echo(LoopThreads loops, int w, TCP conn, List<TCP> open) {
        conn.startRead((c, data, e) -> {
            loops.onOwnThread(w, "read callback");
            if (data != null) {
                c.write(data);
            } else {
                c.shutdown((x, se) -> {
                    open.remove(x);
                    x.close();
                });
            }
        });
    }

    /** {@value #CONNECTIONS} clients, 100 at a time: random bytes out, a shutdown, the same bytes back. */
    private void clients(int port, List<String> problems, int[] ok) {
        Random random = new Random(11);
        int[] started = {0};
        Runnable[] next = {null};
        next[0] = () -> {
            int n = started[0]++;
            byte[] msg = new byte[1 + random.nextInt(4096)];
            random.nextBytes(msg);
            byte[] expected = sha256().digest(msg);
            MessageDigest got = sha256();
            TCP c = new TCP(loop);
            c.connect(HOST, port, (h, e) -> {
                if (e != null) {
                    problems.add("connect " + n + ": " + Errno.errorcode(e));
                    h.close();
                    return;
                }
                h.startRead((x, data, re) -> {
                    if (data != null) {
                        got.update(data);
                        return;
                    }
                    if (re != Errno.UV_EOF || !Arrays.equals(expected, got.digest())) {
                        problems.add(n + ": " + Errno.errorcode(re) + " or different bytes");
                    } else {
                        ok[0]++;
                    }
                    x.close();
                    if (started[0] < CONNECTIONS) {
                        next[0].run();
                    }
                });
                h.write(msg);
                h.shutdown();
            });
        };
        for (int i = 0; i < 100; i++) {
            next[0].run();
        }
    }

    @Test
    void aTargetLoopThatClosedBeforeTheConnectionArrivedClosesIt() throws Exception {
        Timer dog = watchdog(10);
        long fdsBefore = openFds();
        Loop target = new Loop(loop.getTransport());
        Loop closedTarget = new Loop(loop.getTransport());
        closedTarget.close(); // closed before the hand-off
        List<String> events = new ArrayList<>();
        TCP acceptor = server((s, e) -> {
            // the first goes to a loop that is already closed; the second to one that closes before it runs
            s.acceptTo(events.isEmpty() ? closedTarget : target, conn -> events.add("delivered (wrong)"));
            events.add("handed off");
            if (events.size() == 2) {
                s.close();
                target.close(); // never ran: the connection on its way is closed, and close() does not refuse
            }
        });
        for (int i = 0; i < 2; i++) {
            TCP c = new TCP(loop);
            c.connect(acceptor.getsockname(), (h, e) -> h.startRead((x, data, re) -> {
                events.add("client read " + (data != null ? "data" : Errno.errorcode(re)));
                x.close();
            }));
        }
        loop.run();
        assertEquals(List.of("handed off", "handed off", "client read UV_EOF", "client read UV_EOF"),
                events.subList(0, 2).equals(List.of("handed off", "handed off")) ? sortTail(events) : events);
        dog.close();
        loop.run();
        assertNoDescriptorLeak(fdsBefore, "after the discarded hand-offs");
    }

    private static List<String> sortTail(List<String> events) {
        List<String> out = new ArrayList<>(events.subList(0, 2));
        List<String> tail = new ArrayList<>(events.subList(2, events.size()));
        tail.sort(null);
        out.addAll(tail);
        return out;
    }
}
