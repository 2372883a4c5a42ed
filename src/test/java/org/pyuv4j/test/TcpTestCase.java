package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * The fixture of the TCP behaviour tests ({@code org.pyuv4j.tcp}, and {@code org.pyuv4j.TcpOptionsTest}):
 * {@link UvTestCase}'s fresh loop and tearDown, plus an event log, a loop watchdog, one-shot timers,
 * loopback servers and connected pairs, and the state that pyuv's {@code tests/test_tcp.py}
 * choreographies share ({@code self.server}, {@code self.client}, {@code self.client_connections},
 * {@code on_client_connect_error}).
 */
public abstract class TcpTestCase extends UvTestCase {
    /** What the callbacks of the test saw, in order. */
    protected final List<String> events = new ArrayList<>();

    /** pyuv's {@code self.server}: set by {@link #listeningServer}. */
    protected TCP server;
    /** pyuv's {@code self.client}. */
    protected TCP client;
    /** pyuv's {@code self.client_connections}: the accepted connections still open. */
    protected final List<TCP> clientConnections = new ArrayList<>();
    /** The timer made by {@link #watchdog()}: the one handle a finished choreography leaves open. */
    protected Timer watchdog;
    /** How many connect errors {@link #onClientConnectError} saw. */
    protected int connectErrors;

    protected void ev(String event) {
        events.add(event);
    }

    protected static String err(Integer errno) {
        return TcpSupport.name(errno);
    }

    /**
     * Bounds a network test: fails it if the loop still runs after 10 s (see TcpSupport.watchdog).
     *
     * @return the watchdog, also kept in {@link #watchdog}
     */
    protected Timer watchdog() {
        watchdog = TcpSupport.watchdog(loop, 10, () -> "events so far: " + events);
        return watchdog;
    }

    /** A one-shot timer that closes itself and then runs {@code r}. */
    protected void after(double seconds, Runnable r) {
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            r.run();
        }, seconds, 0);
    }

    /** A listening server on {@code host}:0; {@code onConnection} gets each pending connection. */
    protected TCP server(String host, StatusCallback<TCP> onConnection) {
        return TcpSupport.server(loop, host, onConnection);
    }

    /** A server that accepts each connection and closes it at once. */
    protected TCP closingServer() {
        return server(HOST, (s, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.close();
        });
    }

    /**
     * Connects a client to a fresh server on {@code host}; once both the client's connect callback
     * and the server's accept have happened, calls {@code ready(client, accepted)} (from inside
     * the loop). The server handle is closed after its one accept.
     */
    protected void pair(String host, BiConsumer<TCP, TCP> ready) {
        TcpSupport.pair(loop, host, ready);
    }

    protected void pair(BiConsumer<TCP, TCP> ready) {
        pair(HOST, ready);
    }

    // ---- pyuv's test_tcp.py choreographies

    /**
     * pyuv: {@code server.bind(("0.0.0.0", 1234)); server.listen(cb)}; here loopback, port 0 (clients
     * connect to the port {@link #serverPort()} reports). Starts the {@link #watchdog()}.
     */
    protected TCP listeningServer(StatusCallback<TCP> onConnection) {
        watchdog();
        server = new TCP(loop);
        server.bind(HOST, 0);
        server.listen(onConnection);
        return server;
    }

    protected int serverPort() {
        return server.getsockname().port();
    }

    /** pyuv's {@code TCPErrorTest.on_client_connect_error}: counts the error and closes the client. */
    protected void onClientConnectError(TCP c, Integer error) {
        assertNotNull(error);
        connectErrors++;
        c.close();
    }
}
