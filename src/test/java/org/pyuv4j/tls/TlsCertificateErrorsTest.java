package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Certificate and protocol failures: {@code UV_EPROTO} in the handshake's callback, the
 * {@code SSLException} in {@code getTlsFailure()}, the socket closed. A wrong host, an unknown CA and an
 * expired certificate are refused by the client (Netty's default endpoint identification, the JDK's
 * trust manager on either provider); a plaintext peer on a TLS port, and a TLS client facing a
 * plaintext server, fail on the protocol.
 */
class TlsCertificateErrorsTest extends UvTestCase {
    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private static void assertRefusedByTheClient(TlsSupport.Outcome o) {
        assertTrue(o.clientDone && o.serverDone, o::toString);
        assertEquals(Errno.UV_EPROTO, o.clientError, o::toString);
        assertTrue(o.clientFailure instanceof SSLException, o::toString);
        assertNull(o.clientSession, "no session after a failed handshake");
        // The server learns it from the client's alert (UV_EPROTO) or from the closed connection.
        assertTrue(o.serverError == Errno.UV_EPROTO || o.serverError == Errno.UV_ECONNRESET, o::toString);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aCertificateForAnotherHost(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.wrongHost()));
        assertRefusedByTheClient(o);
        CertificateException ce = TlsSupport.causeOf(o.clientFailure, CertificateException.class);
        assertNotNull(ce, o::toString);
        assertTrue(String.valueOf(ce.getMessage()).contains(TlsSupport.SERVER_NAME), ce::toString);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anAddressTheCertificateDoesNotName(SslProvider provider) {
        // No server name: the client checks the peer's address, 127.0.0.1, which this certificate lacks.
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), null,
                TlsSupport.serverContext(provider, TlsSupport.wrongHost()));
        assertRefusedByTheClient(o);
        assertNotNull(TlsSupport.causeOf(o.clientFailure, CertificateException.class), o::toString);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anUnknownCa(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.unknownCa()));
        assertRefusedByTheClient(o);
        assertNotNull(TlsSupport.causeOf(o.clientFailure, SSLHandshakeException.class), o::toString);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anExpiredCertificate(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.expired()));
        assertRefusedByTheClient(o);
        assertNotNull(TlsSupport.causeOf(o.clientFailure, CertificateExpiredException.class), o::toString);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aPlaintextPeerOnATlsPort(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        TcpSupport.pair(loop, HOST, (client, server) -> {
            server.startTls(TlsSupport.serverContext(provider, TlsSupport.server()), (h, e) -> {
                events.add("server handshake " + TcpSupport.name(e));
                failure[0] = h.getTlsFailure();
                h.close();
            });
            client.write("GET / HTTP/1.1\r\nHost: server.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.startRead((h, data, e) -> {
                if (data == null) { // the server closed: no plaintext answer ever came
                    events.add("client read end");
                    h.close();
                }
            });
        });
        loop.run();
        assertEquals(List.of("server handshake UV_EPROTO", "client read end"), events);
        assertNotNull(TlsSupport.causeOf(failure[0], NotSslRecordException.class), String.valueOf(failure[0]));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aTlsClientFacingAPlaintextServer(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, server) -> {
            server.write("220 plaintext banner, no TLS here\r\n".getBytes(StandardCharsets.US_ASCII));
            server.startRead((h, data, e) -> {
                if (data == null) {
                    h.close();
                }
            });
            client.startTls(TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME, (h, e) -> {
                events.add("client handshake " + TcpSupport.name(e));
                assertTrue(h.getTlsFailure() instanceof SSLException, () -> String.valueOf(h.getTlsFailure()));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("client handshake UV_EPROTO"), events);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void writesMadeForTheTlsStreamAreCancelledAfterTheCallback(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        TcpSupport.pair(loop, HOST, (client, server) -> {
            server.startTls(TlsSupport.serverContext(provider, TlsSupport.wrongHost()), (h, e) -> h.close());
            TCP c = client;
            c.startTls(TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME, (h, e) -> {
                events.add("handshake " + TcpSupport.name(e));
            });
            c.write("never sent".getBytes(StandardCharsets.US_ASCII), (h, e) -> {
                events.add("write " + TcpSupport.name(e));
            });
            c.startRead((h, data, e) -> {
                events.add("read " + TcpSupport.name(e));
                h.close();
            });
        });
        loop.run();
        assertEquals(List.of("handshake UV_EPROTO", "read UV_EPROTO", "write UV_ECANCELED"), events);
    }
}
