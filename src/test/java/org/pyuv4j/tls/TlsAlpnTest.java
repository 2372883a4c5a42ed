package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.ssl.SslProvider;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * ALPN: {@code getApplicationProtocol()} at both ends is the protocol the handshake agreed on, null when
 * the contexts configure none or share none (the contexts' failure behaviour here: go on without one).
 */
class TlsAlpnTest extends UvTestCase {
    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void bothEndsSeeTheAgreedProtocol(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider, "h2", "http/1.1"),
                TlsSupport.SERVER_NAME, TlsSupport.serverContext(provider, TlsSupport.server(), "http/1.1", "spdy/3.1"));
        assertNull(o.clientError, o::toString);
        assertNull(o.serverError, o::toString);
        assertEquals("http/1.1", o.clientProtocol);
        assertEquals("http/1.1", o.serverProtocol);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noneConfiguredMeansNull(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                TlsSupport.serverContext(provider, TlsSupport.server()));
        assertNull(o.clientError, o::toString);
        assertNull(o.clientProtocol);
        assertNull(o.serverProtocol);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noCommonProtocolMeansNull(SslProvider provider) {
        TlsSupport.Outcome o = TlsSupport.handshake(loop, TlsSupport.clientContext(provider, "h2"),
                TlsSupport.SERVER_NAME, TlsSupport.serverContext(provider, TlsSupport.server(), "spdy/3.1"));
        assertNull(o.clientError, o::toString);
        assertNull(o.serverError, o::toString);
        assertNull(o.clientProtocol);
        assertNull(o.serverProtocol);
    }
}
