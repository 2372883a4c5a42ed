package org.pyuv4j.test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;

/**
 * TLS fixtures (the {@code org.pyuv4j.tls} tests): certificates made at test time with Netty's
 * pkitesting (no private key is in the repository), contexts for either provider, and a connected pair
 * with TLS started on both ends.
 *
 * <p>The certificates, made once per JVM (ECDSA P-256, quick to make and to use):
 * <ul>
 *   <li>{@link #ca()}: the test CA, trusted by {@link #clientContext(SslProvider)};</li>
 *   <li>{@link #server()}: issued by it for {@code localhost}, {@value #SERVER_NAME}, and 127.0.0.1/::1;</li>
 *   <li>{@link #beta()}: issued by it for {@value #BETA_NAME} only (the second SNI certificate);</li>
 *   <li>{@link #expired()}: like {@link #server()}, valid from two days ago until yesterday;</li>
 *   <li>{@link #wrongHost()}: issued by the CA for {@code elsewhere.test} only;</li>
 *   <li>{@link #unknownCa()}: for the same names as {@link #server()}, issued by a CA nobody trusts.</li>
 * </ul>
 */
public final class TlsSupport {
    /** The DNS name {@link #server()} is for. */
    public static final String SERVER_NAME = "server.test";
    /** The DNS name {@link #beta()} is for. */
    public static final String BETA_NAME = "beta.test";

    private TlsSupport() {
    }

    private static final class Certificates {
        static final X509Bundle CA;
        static final X509Bundle SERVER;
        static final X509Bundle BETA;
        static final X509Bundle EXPIRED;
        static final X509Bundle WRONG_HOST;
        static final X509Bundle UNKNOWN_CA;

        static {
            try {
                Instant now = Instant.now();
                CA = new CertificateBuilder().subject("CN=pyuv4j test CA").ecp256().setIsCertificateAuthority(true)
                        .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(30, ChronoUnit.DAYS))
                        .buildSelfSigned();
                CertificateBuilder leaf = new CertificateBuilder().ecp256().addExtendedKeyUsageServerAuth()
                        .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(30, ChronoUnit.DAYS));
                SERVER = leaf.copy().subject("CN=" + SERVER_NAME).addSanDnsName(SERVER_NAME).addSanDnsName("localhost")
                        .addSanIpAddress("127.0.0.1").addSanIpAddress("::1").buildIssuedBy(CA);
                BETA = leaf.copy().subject("CN=" + BETA_NAME).addSanDnsName(BETA_NAME).buildIssuedBy(CA);
                EXPIRED = leaf.copy().subject("CN=" + SERVER_NAME).addSanDnsName(SERVER_NAME).addSanIpAddress("127.0.0.1")
                        .notBefore(now.minus(2, ChronoUnit.DAYS)).notAfter(now.minus(1, ChronoUnit.DAYS)).buildIssuedBy(CA);
                WRONG_HOST = leaf.copy().subject("CN=elsewhere.test").addSanDnsName("elsewhere.test").buildIssuedBy(CA);
                X509Bundle otherCa = new CertificateBuilder().subject("CN=nobody's CA").ecp256()
                        .setIsCertificateAuthority(true).notBefore(now.minus(1, ChronoUnit.DAYS))
                        .notAfter(now.plus(30, ChronoUnit.DAYS)).buildSelfSigned();
                UNKNOWN_CA = leaf.copy().subject("CN=" + SERVER_NAME).addSanDnsName(SERVER_NAME)
                        .addSanIpAddress("127.0.0.1").buildIssuedBy(otherCa);
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    public static X509Bundle ca() {
        return Certificates.CA;
    }

    public static X509Bundle server() {
        return Certificates.SERVER;
    }

    public static X509Bundle beta() {
        return Certificates.BETA;
    }

    public static X509Bundle expired() {
        return Certificates.EXPIRED;
    }

    public static X509Bundle wrongHost() {
        return Certificates.WRONG_HOST;
    }

    public static X509Bundle unknownCa() {
        return Certificates.UNKNOWN_CA;
    }

    /** The providers the TLS tests run on: a JUnit {@code @MethodSource}. */
    public static Stream<SslProvider> providers() {
        return Stream.of(SslProvider.JDK, SslProvider.OPENSSL);
    }

    /** Skips a test on a provider this machine does not have (OpenSSL without netty-tcnative). */
    public static void assumeAvailable(SslProvider provider) {
        if (provider != SslProvider.JDK) {
            assumeTrue(OpenSsl.isAvailable(), () -> "OpenSSL provider not available: " + OpenSsl.unavailabilityCause());
        }
    }

    /** A server context with {@code cert} (and its chain), on {@code provider}. */
    public static SslContext serverContext(SslProvider provider, X509Bundle cert, String... alpn) {
        assumeAvailable(provider);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.getKeyPair().getPrivate(), cert.getCertificatePath())
                    .sslProvider(provider);
            if (alpn.length > 0) {
                b.applicationProtocolConfig(alpn(alpn));
            }
            return b.build();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
    }

    /** A client context that trusts the test CA, on {@code provider} (Netty's default "HTTPS" endpoint identification). */
    public static SslContext clientContext(SslProvider provider, String... alpn) {
        return clientContext(provider, ca(), alpn);
    }

    /** A client context that trusts {@code trusted}'s root. */
    public static SslContext clientContext(SslProvider provider, X509Bundle trusted, String... alpn) {
        assumeAvailable(provider);
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider)
                    .trustManager(trusted.getRootCertificate());
            if (alpn.length > 0) {
                b.applicationProtocolConfig(alpn(alpn));
            }
            return b.build();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
    }

    private static ApplicationProtocolConfig alpn(String... protocols) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, List.of(protocols));
    }

    /** What a {@link #handshake} saw at each end. */
    public static final class Outcome {
        /** The callbacks' errnos (null: success); {@link #clientDone}/{@link #serverDone} say whether they ran. */
        public Integer clientError;
        public Integer serverError;
        public boolean clientDone;
        public boolean serverDone;
        public Throwable clientFailure;
        public Throwable serverFailure;
        public String clientProtocol;
        public String serverProtocol;
        public javax.net.ssl.SSLSession clientSession;
        public javax.net.ssl.SSLSession serverSession;

        @Override
        public String toString() {
            return "client " + TcpSupport.name(clientError) + " (" + clientFailure + "), server "
                    + TcpSupport.name(serverError) + " (" + serverFailure + ")";
        }
    }

    /**
     * A connected pair, TLS started on both ends ({@code startServer} starts the server's, e.g.
     * {@code s -> s.startTls(ctx, cb)}), each end closed once its handshake callback ran; the loop is run.
     *
     * @return what each end saw
     */
    public static Outcome handshake(Loop loop, SslContext clientContext, String serverName,
                                    java.util.function.BiConsumer<TCP, org.pyuv4j.StatusCallback<TCP>> startServer) {
        Outcome o = new Outcome();
        TcpSupport.watchdog(loop, 20, () -> "handshake did not finish: " + o);
        TcpSupport.pair(loop, UvTestCase.HOST, (client, server) -> {
            startServer.accept(server, (h, e) -> {
                o.serverDone = true;
                o.serverError = e;
                o.serverFailure = h.getTlsFailure();
                o.serverProtocol = h.getApplicationProtocol();
                o.serverSession = h.getSslSession();
                h.close();
            });
            client.startTls(clientContext, serverName, (h, e) -> {
                o.clientDone = true;
                o.clientError = e;
                o.clientFailure = h.getTlsFailure();
                o.clientProtocol = h.getApplicationProtocol();
                o.clientSession = h.getSslSession();
                h.close();
            });
        });
        loop.run();
        return o;
    }

    /** {@link #handshake} with a plain server context. */
    public static Outcome handshake(Loop loop, SslContext clientContext, String serverName, SslContext serverContext) {
        return handshake(loop, clientContext, serverName, (s, cb) -> s.startTls(serverContext, cb));
    }

    /** The first exception of {@code type} in {@code t}'s causes, or null. */
    public static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * A connected pair with TLS on both ends: {@code ready(client, server)} runs inside the loop once
     * both handshakes have succeeded (each failure fails the test). The client asks for {@code serverName}.
     */
    public static void tlsPair(Loop loop, SslContext clientContext, String serverName, SslContext serverContext,
                               BiConsumer<TCP, TCP> ready) {
        int[] done = {0};
        TCP[] ends = new TCP[2];
        TcpSupport.pair(loop, UvTestCase.HOST, (client, server) -> {
            ends[0] = client;
            ends[1] = server;
            Runnable check = () -> {
                if (++done[0] == 2) {
                    ready.accept(ends[0], ends[1]);
                }
            };
            server.startTls(serverContext, (h, e) -> {
                assertNull(e, () -> "server handshake: " + TcpSupport.name(e) + " " + h.getTlsFailure());
                check.run();
            });
            client.startTls(clientContext, serverName, (h, e) -> {
                assertNull(e, () -> "client handshake: " + TcpSupport.name(e) + " " + h.getTlsFailure());
                check.run();
            });
        });
    }
}
