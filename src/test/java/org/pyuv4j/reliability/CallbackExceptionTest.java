package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Errno;
import org.pyuv4j.Idle;
import org.pyuv4j.Prepare;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * Faults: a callback that throws, for every callback type. pyuv-spec §1.9: the exception goes to
 * the loop's excepthook, "an exception never stops the loop", and the library's own state is not
 * disturbed (a read buffer is released even when the read callback throws). For each type the test
 * checks that the hook got exactly the exceptions thrown, that a witness (an echo round trip on
 * another connection, and a fresh timer) works after each one, and that the handle whose callback
 * threw goes on working where it can (a repeating timer fires again, reads go on, the next write's
 * callback runs, the listener announces the next connection...).
 */
class CallbackExceptionTest extends ReliabilityTestCase {
    /** What the callbacks throw. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(String where) {
            super("boom in " + where + " callback");
        }
    }

    enum Kind { CLOSE, TIMER, ASYNC, IDLE, PREPARE, CHECK, LISTEN, CONNECT, READ, READ_BUF, WRITE, SHUTDOWN,
        WORK_DONE, EXECUTE }

    private final List<Throwable> hooked = new ArrayList<>();
    private final List<Boom> thrown = new ArrayList<>();
    private TCP witnessClient;
    private TCP witnessServer;
    private final ByteArrayOutputStream witnessEcho = new ByteArrayOutputStream();
    private int witnessPings;
    private int witnessRounds;
    private int witnessTimers;
    private boolean scenarioDone;
    private boolean finished;
    private final List<Runnable> cleanup = new ArrayList<>();
    private Kind kind;
    private Scenario scenario;

    /** One callback type under test. */
    private interface Scenario {
        void start();

        /** Called once the witness has worked after the n-th exception (1-based). */
        default void afterBoom(int n) {
        }
    }

    private Boom boom() {
        Boom b = new Boom(kind.name());
        thrown.add(b);
        return b;
    }

    private void done() {
        scenarioDone = true;
        maybeFinish();
    }

    private void maybeFinish() {
        if (scenarioDone && !finished && thrown.size() == expectedBooms(kind) && witnessRounds == thrown.size()
                && witnessTimers == thrown.size()) {
            finished = true;
            for (Runnable r : cleanup) {
                r.run();
            }
            witnessClient.close();
            witnessServer.close();
        }
    }

    /** After each exception: an echo round trip on the witness connection and a fresh timer. */
    private void witness() {
        int n = ++witnessPings;
        witnessClient.write(String.format("ping%04d", n).getBytes(StandardCharsets.US_ASCII));
        after(0.001, () -> {
            witnessTimers++;
            maybeFinish();
        });
    }

    private void onWitnessEcho(byte[] data) {
        witnessEcho.writeBytes(data);
        while (witnessEcho.size() >= 8 * (witnessRounds + 1)) {
            String got = witnessEcho.toString(StandardCharsets.US_ASCII).substring(8 * witnessRounds, 8 * witnessRounds + 8);
            witnessRounds++;
            assertEquals(String.format("ping%04d", witnessRounds), got);
            ev("witness ok after boom " + witnessRounds);
            scenario.afterBoom(witnessRounds);
            maybeFinish();
        }
    }

    /** A one-shot pair for scenarios that need their own connection. */
    private void scenarioPair(BiConsumer<TCP, TCP> ready) {
        pair((c, conn) -> {
            cleanup.add(() -> {
                if (!c.isClosed()) {
                    c.close();
                }
                if (!conn.isClosed()) {
                    conn.close();
                }
            });
            ready.accept(c, conn);
        });
    }

    /** A watcher-style callback: throws on its first two calls, stops on the third. */
    private int calls;

    private boolean throwTwiceThenStop() {
        calls++;
        if (calls <= 2) {
            throw boom();
        }
        ev(kind + " called a third time");
        return true;
    }

    private Scenario scenario(Kind k) {
        switch (k) {
            case CLOSE: {
                Timer t = new Timer(loop);
                return new Scenario() {
                    public void start() {
                        t.close(h -> {
                            throw boom();
                        });
                    }

                    public void afterBoom(int n) {
                        assertNull(t.getLoop(), "the close completed");
                        assertFalse(loop.getHandles().contains(t));
                        ev("the close completed");
                        done();
                    }
                };
            }
            case TIMER:
                return () -> {
                    Timer t = new Timer(loop);
                    t.start(h -> {
                        if (throwTwiceThenStop()) {
                            h.close();
                            done();
                        }
                    }, 0.001, 0.01);
                };
            case ASYNC:
                return () -> {
                    Async a = new Async(loop, h -> {
                        if (calls < 2) {
                            h.send(); // called again on a later iteration
                        }
                        if (throwTwiceThenStop()) {
                            h.close();
                            done();
                        }
                    });
                    a.send();
                };
            case IDLE:
                return () -> new Idle(loop).start(h -> {
                    if (throwTwiceThenStop()) {
                        h.close();
                        done();
                    }
                });
            case PREPARE:
                return () -> new Prepare(loop).start(h -> {
                    if (throwTwiceThenStop()) {
                        h.close();
                        done();
                    }
                });
            case CHECK:
                return () -> new Check(loop).start(h -> {
                    if (throwTwiceThenStop()) {
                        h.close();
                        done();
                    }
                });
            case LISTEN:
                return () -> {
                    TCP srv = server((s, e) -> {
                        assertNull(e);
                        TCP conn = new TCP(loop);
                        s.accept(conn);
                        conn.close();
                        if (++calls == 1) {
                            throw boom();
                        }
                        ev("listener announced the next connection");
                        s.close();
                        done();
                    });
                    for (int i = 0; i < 2; i++) {
                        TCP c = new TCP(loop);
                        c.connect(srv.getsockname(), (h, e) -> assertNull(e));
                        cleanup.add(c::close);
                    }
                };
            case CONNECT:
                return () -> {
                    TCP srv = server((s, e) -> {
                        TCP conn = new TCP(loop);
                        s.accept(conn);
                        s.close();
                        conn.startRead((h, data, re) -> {
                            if (data != null) {
                                h.write(data);
                            } else {
                                h.close();
                            }
                        });
                    });
                    TCP c = new TCP(loop);
                    c.connect(srv.getsockname(), (h, e) -> {
                        assertNull(e);
                        h.startRead((x, data, re) -> {
                            assertEquals("hello", new String(data, StandardCharsets.US_ASCII));
                            ev("the connection works after its connect callback threw");
                            x.close();
                            done();
                        });
                        h.write("hello".getBytes(StandardCharsets.US_ASCII));
                        throw boom();
                    });
                };
            case READ:
            case READ_BUF:
                return new Scenario() {
                    final ByteArrayOutputStream got = new ByteArrayOutputStream();
                    TCP sender;

                    void received(byte[] data) {
                        got.writeBytes(data);
                        if (++calls == 1) {
                            throw boom();
                        }
                        if (got.toString(StandardCharsets.US_ASCII).equals("firstsecond")) {
                            ev("reads went on after the read callback threw");
                            done();
                        }
                    }

                    public void start() {
                        scenarioPair((c, conn) -> {
                            sender = c;
                            if (k == Kind.READ) {
                                conn.startRead((h, data, e) -> received(data));
                            } else {
                                conn.startReadBuf((h, buf, e) -> {
                                    byte[] data = new byte[buf.readableBytes()];
                                    buf.getBytes(buf.readerIndex(), data);
                                    received(data); // the stream releases buf although this throws
                                });
                            }
                            c.write("first".getBytes(StandardCharsets.US_ASCII));
                        });
                    }

                    public void afterBoom(int n) {
                        sender.write("second".getBytes(StandardCharsets.US_ASCII));
                    }
                };
            case WRITE:
                return () -> scenarioPair((c, conn) -> {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    boolean[] secondCallback = {false};
                    Runnable check = () -> {
                        if (secondCallback[0] && got.toString(StandardCharsets.US_ASCII).equals("ab")) {
                            done();
                        }
                    };
                    conn.startRead((h, data, e) -> {
                        got.writeBytes(data);
                        check.run();
                    });
                    c.write(new byte[] {'a'}, (h, e) -> {
                        assertNull(e);
                        throw boom();
                    });
                    c.write(new byte[] {'b'}, (h, e) -> {
                        assertNull(e);
                        ev("the next write callback ran");
                        secondCallback[0] = true;
                        check.run();
                    });
                });
            case SHUTDOWN:
                return () -> scenarioPair((c, conn) -> {
                    conn.startRead((h, data, e) -> {
                        assertEquals(Errno.UV_EOF, e);
                        ev("the peer got EOF");
                        done();
                    });
                    c.shutdown((h, e) -> {
                        assertNull(e);
                        throw boom();
                    });
                });
            case WORK_DONE:
                return new Scenario() {
                    public void start() {
                        loop.queueWork(() -> { }, e -> {
                            assertNull(e);
                            throw boom();
                        });
                    }

                    public void afterBoom(int n) {
                        loop.queueWork(() -> { }, e -> {
                            ev("the next work request completed");
                            done();
                        });
                    }
                };
            case EXECUTE:
                return new Scenario() {
                    public void start() {
                        loop.execute(() -> {
                            throw boom();
                        });
                    }

                    public void afterBoom(int n) {
                        loop.execute(() -> {
                            ev("the next task ran");
                            done();
                        });
                    }
                };
            default:
                throw new AssertionError(k);
        }
    }

    /** The event that shows the handle whose callback threw carried on. */
    private static String carriedOn(Kind k) {
        switch (k) {
            case CLOSE:
                return "the close completed";
            case TIMER:
            case ASYNC:
            case IDLE:
            case PREPARE:
            case CHECK:
                return k + " called a third time";
            case LISTEN:
                return "listener announced the next connection";
            case CONNECT:
                return "the connection works after its connect callback threw";
            case READ:
            case READ_BUF:
                return "reads went on after the read callback threw";
            case WRITE:
                return "the next write callback ran";
            case SHUTDOWN:
                return "the peer got EOF";
            case WORK_DONE:
                return "the next work request completed";
            default:
                return "the next task ran";
        }
    }

    private static int expectedBooms(Kind k) {
        switch (k) {
            case TIMER:
            case ASYNC:
            case IDLE:
            case PREPARE:
            case CHECK:
                return 2;
            default:
                return 1;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anExceptionGoesToTheExcepthookAndEverythingCarriesOn(Kind k) {
        kind = k;
        watchdog(10);
        loop.setExcepthook((l, error) -> {
            assertSame(loop, l);
            hooked.add(error);
            if (error instanceof Boom) {
                witness();
            } else {
                loop.stop(); // a failed assertion inside a callback: stop and report below
            }
        });
        scenario = scenario(k);
        pair((c, conn) -> {
            witnessClient = c;
            witnessServer = conn;
            conn.startRead((h, data, e) -> {
                if (data != null) {
                    h.write(data);
                }
            });
            c.startRead((h, data, e) -> {
                if (data != null) {
                    onWitnessEcho(data);
                }
            });
            scenario.start();
        });
        loop.run();
        for (Throwable t : hooked) {
            if (!(t instanceof Boom)) {
                throw new AssertionError("a callback failed: " + t, t);
            }
        }
        assertEquals(thrown, hooked, "the excepthook got exactly the exceptions thrown, in order");
        assertEquals(expectedBooms(k), thrown.size(), "exceptions thrown");
        assertEquals(thrown.size(), witnessRounds, "witness round trips after the exceptions");
        assertEquals(thrown.size(), witnessTimers, "witness timers after the exceptions");
        assertTrue(finished, () -> "the scenario did not finish: " + events);
        assertTrue(events.contains(carriedOn(k)), () -> "expected \"" + carriedOn(k) + "\" in " + events);
        for (int i = 1; i <= thrown.size(); i++) {
            assertTrue(events.contains("witness ok after boom " + i), events::toString);
        }
    }
}
