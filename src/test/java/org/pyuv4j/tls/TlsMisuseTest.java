package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code startTls} where it cannot run raises at once: {@code UV_EALREADY} the second time,
 * {@code UV_ENOTCONN} without a connected socket (none yet, or still connecting), {@code UV_EINVAL} on a
 * listener, {@code UV_EPIPE} after {@code shutdown()}, {@code HandleClosedError} once closed (as every
 * method of a closed handle, pyuv's rule); a null argument is a {@code NullPointerException}. Nothing
 * changes on the handle. The callback never runs from inside {@code startTls}. Without TLS the TLS
 * getters answer null, and {@code tryWrite} on a TLS stream answers {@code UV_EAGAIN}.
 */
class TlsMisuseTest extends UvTestCase {
    private final SslContext server = TlsSupport.serverContext(SslProvider.JDK, TlsSupport.server());
    private final SslContext client = TlsSupport.clientContext(SslProvider.JDK);

    @Test
    void withoutAConnectedSocket() {
        TCP fresh = new TCP(loop);
        TcpSupport.assertTcpError(Errno.UV_ENOTCONN, () -> fresh.startTls(client, (h, e) -> { }));
        TCP connecting = new TCP(loop);
        connecting.connect(HOST, TcpSupport.unusedPort(loop), (h, e) -> h.close());
        TcpSupport.assertTcpError(Errno.UV_ENOTCONN, () -> connecting.startTls(client, (h, e) -> { }));
        TCP listener = TcpSupport.server(loop, HOST, (s, e) -> { });
        TcpSupport.assertTcpError(Errno.UV_EINVAL, () -> listener.startTls(server, (h, e) -> { }));
        Mapping<String, SslContext> sni = name -> server;
        TcpSupport.assertTcpError(Errno.UV_EINVAL, () -> listener.startTls(sni, (h, e) -> { }));
        assertNull(fresh.getSslSession());
        assertNull(fresh.getApplicationProtocol());
        assertNull(fresh.getTlsFailure());
        fresh.close();
        listener.close();
        TcpSupport.assertHandleClosed(() -> fresh.startTls(client, (h, e) -> { }));
        loop.run();
    }

    @Test
    void nullArguments() {
        TCP t = new TCP(loop);
        assertThrows(NullPointerException.class, () -> t.startTls((SslContext) null, (h, e) -> { }));
        assertThrows(NullPointerException.class, () -> t.startTls(client, null));
        assertThrows(NullPointerException.class, () -> t.startTls((Mapping<String, SslContext>) null, (h, e) -> { }));
        assertThrows(NullPointerException.class, () -> t.unread(null));
        t.close();
        loop.run();
    }

    @Test
    void twiceAfterShutdownAndTheCallbackNeverRunsInsideTheCall() {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        AtomicReference<String> inside = new AtomicReference<>("outside");
        TcpSupport.pair(loop, HOST, (c, s) -> {
            s.shutdown();
            TcpSupport.assertTcpError(Errno.UV_EPIPE, () -> s.startTls(server, (h, e) -> { }));
            inside.set("inside");
            s.close();
            c.startTls(client, TlsSupport.SERVER_NAME, (h, e) -> {
                events.add("callback " + inside.get() + " " + TcpSupport.name(e));
                h.close();
            });
            inside.set("outside");
            assertNull(c.getSslSession(), "no session before the handshake");
            TcpSupport.assertTcpError(Errno.UV_EALREADY, () -> c.startTls(client, (h, e) -> { }));
            TcpSupport.assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite(new byte[] {1}));
        });
        loop.run();
        // The server closed: the client's handshake ends with the connection.
        assertEquals(List.of("callback outside UV_ECONNRESET"), events);
    }

    @Test
    void closeDuringTheHandshakeCancelsItBeforeTheWrites() {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (c, s) -> {
            c.startTls(client, TlsSupport.SERVER_NAME, (h, e) -> events.add("handshake " + TcpSupport.name(e)));
            c.write(new byte[] {1, 2, 3}, (h, e) -> events.add("write " + TcpSupport.name(e)));
            assertEquals(3, c.getWriteQueueSize(), "plaintext bytes wait for the handshake");
            c.close(h -> events.add("closed"));
            s.close();
        });
        loop.run();
        assertEquals(List.of("handshake UV_ECANCELED", "write UV_ECANCELED", "closed"), events);
        assertFalse(loop.isAlive());
    }
}
