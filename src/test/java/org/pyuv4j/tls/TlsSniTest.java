package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Server-side SNI ({@code startTls(Mapping, cb)}, Netty's {@code SniHandler}): the client's server name
 * chooses between two certificates; a client that sends none (it connects by address) gets the default
 * one; a name the mapping has no context for fails the server's handshake with {@code UV_EPROTO}.
 */
class TlsSniTest extends UvTestCase {
    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private final List<String> asked = new ArrayList<>();

    private Mapping<String, SslContext> mapping(SslProvider provider) {
        SslContext main = TlsSupport.serverContext(provider, TlsSupport.server());
        SslContext beta = TlsSupport.serverContext(provider, TlsSupport.beta());
        return name -> {
            asked.add(String.valueOf(name));
            if (name == null || name.equals(TlsSupport.SERVER_NAME)) {
                return main;
            }
            return name.equals(TlsSupport.BETA_NAME) ? beta : null;
        };
    }

    private static String subject(SSLSession session) {
        assertNotNull(session, "a session after the handshake");
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theServerNameChoosesTheCertificate(SslProvider provider) {
        Mapping<String, SslContext> sni = mapping(provider);
        for (String name : List.of(TlsSupport.BETA_NAME, TlsSupport.SERVER_NAME)) {
            TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), name,
                    (s, cb) -> s.startTls(sni, cb));
            assertTrue(o.clientDone && o.serverDone, o::toString);
            assertNull(o.clientError, o::toString);
            assertNull(o.serverError, o::toString);
            assertEquals("CN=" + name, subject(o.clientSession));
        }
        assertEquals(List.of(TlsSupport.BETA_NAME, TlsSupport.SERVER_NAME), asked);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noServerNameGetsTheDefaultCertificate(SslProvider provider) {
        // No server name: the client verifies against the peer's address (the default certificate has
        // 127.0.0.1 among its names) and sends no SNI, so the mapping is asked for null.
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), null,
                (s, cb) -> s.startTls(mapping(provider), cb));
        assertNull(o.clientError, o::toString);
        assertNull(o.serverError, o::toString);
        assertEquals("CN=" + TlsSupport.SERVER_NAME, subject(o.clientSession));
        assertEquals(List.of("null"), asked);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aNameWithoutAContextFailsTheServersHandshake(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), "nobody.test",
                (s, cb) -> s.startTls(mapping(provider), cb));
        assertTrue(o.clientDone && o.serverDone, o::toString);
        assertEquals(Errno.UV_EPROTO, o.serverError, o::toString);
        assertNotNull(o.serverFailure);
        assertNotNull(o.clientError, o::toString); // the server closed: UV_ECONNRESET (or an alert: UV_EPROTO)
        // Netty's SniHandler may ask again for the same ClientHello (as it decodes what is left at close).
        assertTrue(!asked.isEmpty() && asked.stream().allMatch("nobody.test"::equals), asked::toString);
    }
}
