package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.Handle;
import org.pyuv4j.HandleCallback;
import org.pyuv4j.RunMode;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.TCPError;

/**
 * Bad input, table-driven: every public method with null, negative, out-of-range and otherwise
 * invalid arguments, and calls made in the wrong state. Each row asserts the exception type and the
 * errno or message that pyuv-spec.md / API.md give (Python's TypeError/ValueError/OverflowError are
 * IllegalArgumentException with pyuv's text, a null is a NullPointerException), and then that the
 * object is still usable where pyuv's is: after a rejected write a valid write works and the peer
 * receives only the valid bytes; after a rejected bind a valid bind works; after a rejected timer
 * start a valid start fires; and so on.
 *
 * <p>This class holds the one parameterized test, its assertions and its fixture; each subclass,
 * {@code BadInput*Test}, is the table of one family of methods: its static {@code rows()}, run by the
 * inherited test. A row's case gets the test instance as the subclass's own type {@code S}, so that
 * it can reach the protected members of the fixture.
 *
 * @param <S> the subclass
 */
abstract class BadInputTestCase<S extends BadInputTestCase<S>> extends ReliabilityTestCase {
    static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    static final String INVALID_IP = "invalid IP address";
    static final String BAD_PORT = "port must be 0-65535";
    static final String BAD_FLOWINFO = "flowinfo must be 0-1048575";
    static final String BAD_BACKLOG = "backlog must be bigger than 0";
    static final String NEGATIVE_TIME = "a positive value or zero is required";
    static final StatusCallback<TCP> NO_STATUS = (h, e) -> { };

    /** One row: performs the bad call (asserting how it fails) and checks what must still work. */
    @FunctionalInterface
    interface Case<T> {
        void run(T t) throws Throwable;
    }

    /** The rows of a table, in order: a description of the call and its case. */
    static final class Rows<T> {
        private final List<Arguments> rows = new ArrayList<>();

        void add(String call, Case<T> c) {
            rows.add(Arguments.of(call, c));
        }

        Stream<Arguments> stream() {
            return rows.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputIsRejectedAndTheObjectStaysUsable(String call, Case<S> c) throws Throwable {
        watchdog(15);
        c.run(self());
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    // ------------------------------------------------------------------ assertions

    /** Asserts that {@code call} throws exactly {@code type}; @return it. */
    <T extends Throwable> T rejects(Class<T> type, Executable call) {
        T e = assertThrows(type, call);
        assertSame(type, e.getClass(), () -> "exception type: " + e);
        return e;
    }

    void npe(Executable call) {
        rejects(NullPointerException.class, call);
    }

    void iae(String message, Executable call) {
        assertEquals(message, rejects(IllegalArgumentException.class, call).getMessage());
    }

    void tcpError(int errno, Executable call) {
        TCPError e = rejects(TCPError.class, call);
        assertEquals(errno, e.errno(), () -> "errno " + Errno.errorcode(e.errno()) + " instead of " + Errno.errorcode(errno));
        assertEquals(Errno.strerror(errno), e.getMessage());
    }

    void closed(Executable call) {
        HandleClosedError e = rejects(HandleClosedError.class, call);
        assertEquals("Handle is closing/closed", e.getMessage());
        assertEquals(0, e.errno());
    }

    // ------------------------------------------------------------------ fixture

    private TCP client;
    TCP peer;
    final ByteArrayOutputStream peerData = new ByteArrayOutputStream();
    final ByteArrayOutputStream clientData = new ByteArrayOutputStream();

    void runUntil(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what + "; events " + events);
            }
            loop.run(RunMode.ONCE);
        }
    }

    /** A connected client whose peer records everything it receives. */
    TCP connected() {
        TCP srv = server((s, e) -> {
            assertNull(e);
            peer = new TCP(loop);
            s.accept(peer);
            s.close();
            peer.startRead((h, data, re) -> {
                if (data != null) {
                    peerData.writeBytes(data);
                } else {
                    ev("peer read " + err(re));
                }
            });
        });
        TCP c = new TCP(loop);
        c.connect(srv.getsockname(), (h, e) -> {
            assertNull(e);
            client = h;
        });
        runUntil("connected", () -> client != null && peer != null);
        return client;
    }

    /** A valid write still works, and the peer got exactly it: nothing of the rejected call was sent. */
    void validWriteStillWorks() {
        boolean[] written = {false};
        client.write(OK, (h, e) -> {
            assertNull(e);
            written[0] = true;
        });
        runUntil("the valid write", () -> written[0] && peerData.size() >= OK.length);
        assertEquals("ok", peerData.toString(StandardCharsets.US_ASCII), "the peer received only the valid write");
    }

    /** A valid bind still works and the handle can listen and accept. */
    void validBindStillWorks(TCP h) {
        h.bind(HOST, 0);
        listenStillWorks(h);
    }

    void listenStillWorks(TCP h) {
        TCP[] accepted = {null};
        h.listen((s, e) -> {
            assertNull(e);
            accepted[0] = new TCP(loop);
            s.accept(accepted[0]);
        });
        connectionIsAccepted(h, accepted);
    }

    void connectionIsAccepted(TCP server, TCP[] accepted) {
        TCP c = new TCP(loop);
        boolean[] connected = {false};
        c.connect(server.getsockname(), (x, e) -> {
            assertNull(e);
            connected[0] = true;
        });
        runUntil("a connection to the server", () -> connected[0] && accepted[0] != null);
    }

    /** A valid connect from this handle still works. */
    void validConnectStillWorks(TCP h) {
        TCP srv = server((s, e) -> s.accept(new TCP(loop)));
        Integer[] result = {Errno.UV_EOF};
        h.connect(srv.getsockname(), (x, e) -> result[0] = e == null ? 0 : e);
        runUntil("the valid connect", () -> result[0] != Errno.UV_EOF);
        assertEquals(0, result[0], () -> "connect " + err(result[0]));
    }

    void timerStillFires(Timer t) {
        boolean[] fired = {false};
        loop.updateTime();
        t.start(x -> fired[0] = true, 0.001, 0);
        runUntil("the timer", () -> fired[0]);
    }

    <H extends Handle<H>> void watcherStillFires(H h, java.util.function.Consumer<HandleCallback<H>> start) {
        boolean[] fired = {false};
        start.accept(x -> fired[0] = true);
        loop.run(RunMode.NOWAIT); // idle, prepare and check all run in one iteration (ONCE would then block in poll)
        assertTrue(fired[0], "the watcher fired");
    }

    void loopStillRuns() {
        boolean[] ran = {false};
        loop.execute(() -> ran[0] = true);
        runUntil("a task", () -> ran[0]);
    }

    int handles() {
        return loop.getHandles().size();
    }
}
