package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.ChildJvm;

/**
 * Faults: descriptor exhaustion at accept (EMFILE). pyuv-spec §4.4: libuv closes a reserve
 * descriptor, accepts and closes every pending connection, reopens the reserve, and calls the
 * listen callback not at all (verified: zero callbacks, the clients saw EOF); pyuv4j does the same
 * (Stream.onAcceptError with EmfileReserve). The server must keep running and, once descriptors are
 * free again, serve new clients.
 *
 * <p>The server runs in a child JVM ({@link EmfileServer}) under {@code ulimit -n} {@value #LIMIT}, so
 * that only its descriptors are exhausted: the test JVM's own threads, which open files at moments
 * nobody controls, are not involved (they made an earlier version of this test fail one run in a
 * few). The clients are plain blocking sockets of this JVM: connect(2) completes in the child's
 * backlog whether or not the child can accept, and a client then reads either the server's greeting
 * (accepted normally) or EOF (accepted and closed by the trick).
 */
class AcceptEmfileTest extends ReliabilityTestCase {
    private static final int LIMIT = 256;
    private static final int CLIENTS = 3;

    private ChildJvm child;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stopChild() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (child != null) {
            child.close();
        }
    }

    @Test
    void pendingConnectionsAreShedWithoutACallbackAndNewClientsAreServedOnceDescriptorsAreFree() {
        int port = startServer();
        int exhaustedWith = Integer.parseInt(child.call("exhaust"));
        child.call("sockets"); // making a socket fails with UV_EMFILE and leaves no handle (see EmfileServer)
        List<String> seen = connectClients(port);
        assertEquals(List.of("EOF", "EOF", "EOF"), seen, "every pending connection was accepted and closed" + child.context());
        assertEquals("accepted=0 errors=[] reserve=2", child.call("status"),
                "no listen callback for the connections shed while out of descriptors; the reserve is back");
        child.call("release"); // the handle whose socket could not be made binds now
        assertEquals("ping", echo(port, "ping"), "the same server serves a new client");
        assertEquals("accepted=1 errors=[] reserve=2", child.call("status"));
        quit();
        figure("accept EMFILE", "server in a child JVM under ulimit -n %d: %d descriptors opened to exhaust it;"
                + " %d clients accepted-and-closed (EOF) with no listen callback; a new client served once freed",
                LIMIT, exhaustedWith, CLIENTS);
    }

    /** One descriptor comes free during the exhaustion: one client is accepted normally, the others are shed. */
    @Test
    void aDescriptorFreedDuringTheExhaustionServesOneClientAndTheOthersAreShed() {
        int port = startServer();
        child.call("exhaust");
        child.call("free 1");
        List<String> seen = connectClients(port);
        seen.sort(null);
        assertEquals(List.of("EOF", "EOF", "hello"), seen, "the free descriptor served one client" + child.context());
        assertEquals("accepted=1 errors=[] reserve=2", child.call("status"));
        child.call("release");
        assertEquals("ping", echo(port, "ping"));
        quit();
    }

    private int startServer() {
        child = ChildJvm.start(EmfileServer.class, transport(), LIMIT, List.of());
        String port = child.expect("PORT");
        assertTrue(port.contains("warm-up=UV_EOF,errors=[]"), "the child's own warm-up cycle was shed: " + port);
        return Integer.parseInt(port.split(" ")[0]);
    }

    private void quit() {
        child.call("quit");
        child.expect("DONE no leaks");
        assertEquals(0, child.waitFor(), "the child's exit status" + child.context());
    }

    /** Connects {@value #CLIENTS} clients, then reads what each one gets first: "hello" or "EOF". */
    private List<String> connectClients(int port) {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(connect(port));
        }
        List<String> seen = new ArrayList<>();
        for (Socket s : clients) {
            seen.add(firstLine(s));
        }
        return seen;
    }

    /** A new client: reads the greeting, sends {@code message} and @return the line echoed back. */
    private String echo(int port, String message) {
        Socket s = connect(port);
        assertEquals("hello", firstLine(s));
        try {
            s.getOutputStream().write((message + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return firstLine(s);
    }

    private Socket connect(int port) {
        Socket s = new Socket();
        sockets.add(s);
        try {
            s.setSoTimeout((int) ChildJvm.TIMEOUT_SECONDS * 1000); // a bound, never a synchronisation
            s.connect(new InetSocketAddress(HOST, port), (int) ChildJvm.TIMEOUT_SECONDS * 1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /** @return the first line the server sent, "EOF" when it closed first, or what went wrong */
    private String firstLine(Socket s) {
        StringBuilder line = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            for (;;) {
                int b = in.read();
                if (b < 0) {
                    return line.length() == 0 ? "EOF" : line + "(EOF)";
                }
                if (b == '\n') {
                    return line.toString();
                }
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            return "nothing within " + ChildJvm.TIMEOUT_SECONDS + " s";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
