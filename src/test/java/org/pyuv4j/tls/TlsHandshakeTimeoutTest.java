package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * The handshake timeout ({@code setTlsHandshakeTimeout}, 10 s by default as Netty's): a peer that never
 * speaks TLS fails the handshake with {@code UV_ETIMEDOUT} once it elapses, for a server, a client and
 * an SNI server; the socket is closed and nothing leaks. The loop stays alive for the pending
 * handshake, as for a pending connect, without any handle reading.
 */
class TlsHandshakeTimeoutTest extends UvTestCase {
    private static final double TIMEOUT = 0.2;

    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    /** {@code start(tls end, callback)} on one end of a pair whose other end stays silent. */
    private void timesOut(boolean clientSide, BiConsumer<TCP, StatusCallback<TCP>> start) {
        TcpSupport.watchdog(loop, 10, () -> "no timeout");
        List<String> events = new ArrayList<>();
        long[] elapsed = new long[1];
        Throwable[] failure = new Throwable[1];
        TcpSupport.pair(loop, HOST, (client, server) -> {
            TCP tls = clientSide ? client : server;
            TCP silent = clientSide ? server : client;
            tls.setTlsHandshakeTimeout(TIMEOUT);
            long t0 = System.nanoTime();
            start.accept(tls, (h, e) -> {
                elapsed[0] = System.nanoTime() - t0;
                events.add("handshake " + TcpSupport.name(e));
                failure[0] = h.getTlsFailure();
                h.close();
                silent.close();
            });
        });
        loop.run();
        assertEquals(List.of("handshake UV_ETIMEDOUT"), events);
        assertTrue(failure[0] instanceof SslHandshakeTimeoutException, () -> String.valueOf(failure[0]));
        double seconds = elapsed[0] / 1e9;
        assertTrue(seconds >= TIMEOUT * 0.9 && seconds < 5, () -> "timed out after " + seconds + " s");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aServerWhoseClientNeverSpeaks(SslProvider provider) {
        SslContext ctx = TlsSupport.serverContext(provider, TlsSupport.server());
        timesOut(false, (h, cb) -> h.startTls(ctx, cb));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientWhoseServerNeverAnswers(SslProvider provider) {
        SslContext ctx = TlsSupport.clientContext(provider);
        timesOut(true, (h, cb) -> h.startTls(ctx, TlsSupport.SERVER_NAME, cb));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anSniServerWhoseClientNeverSpeaks(SslProvider provider) {
        SslContext ctx = TlsSupport.serverContext(provider, TlsSupport.server());
        timesOut(false, (h, cb) -> h.startTls(name -> ctx, cb));
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        TCP t = new TCP(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setTlsHandshakeTimeout(-1));
        assertEquals("a positive value or zero is required", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.setTlsHandshakeTimeout(Double.NaN));
        t.setTlsHandshakeTimeout(0); // none
        t.close();
        loop.run();
    }
}
