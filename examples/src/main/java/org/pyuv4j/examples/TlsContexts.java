package org.pyuv4j.examples;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.File;
import java.util.Arrays;
import java.util.List;

/**
 * TLS contexts for the examples: a server context from PEM files or from a self-signed certificate made
 * at start, a client context, on the JDK's provider or OpenSSL (BoringSSL, netty-tcnative), with an
 * optional cipher list. The benchmark servers ({@code EchoServer --tls}, {@code NettyEchoServer --tls})
 * build theirs here, so both run the same provider and ciphers.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    /** {@code jdk} or {@code openssl}; exits with a message when OpenSSL is not available. */
    static SslProvider provider(String name) {
        switch (name) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    System.err.println("--provider openssl: OpenSSL is not available: " + OpenSsl.unavailabilityCause());
                    System.exit(2);
                }
                return SslProvider.OPENSSL;
            default:
                System.err.println("--provider jdk|openssl");
                System.exit(2);
                return null;
        }
    }

    /**
     * A server context: {@code cert} and {@code key} (PEM, PKCS#8 key), or a self-signed certificate for
     * localhost made now (its PEM file is printed, for {@code openssl s_client -CAfile}).
     */
    @SuppressWarnings("deprecation") // SelfSignedCertificate: fine for an example, never for production
    static SslContext server(String cert, String key, SslProvider provider, String ciphers) throws Exception {
        SslContextBuilder b;
        if (cert != null) {
            b = SslContextBuilder.forServer(new File(cert), new File(key));
        } else {
            SelfSignedCertificate ssc = new SelfSignedCertificate("localhost");
            ssc.certificate().deleteOnExit();
            ssc.privateKey().deleteOnExit();
            System.err.println("self-signed certificate for localhost: " + ssc.certificate());
            b = SslContextBuilder.forServer(ssc.key(), ssc.cert());
        }
        return b.sslProvider(provider).ciphers(cipherList(ciphers)).build();
    }

    /** A client context: trusting {@code ca} (PEM), or anything when {@code insecure}, else the system's CAs. */
    static SslContext client(String ca, boolean insecure, SslProvider provider, String ciphers) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider).ciphers(cipherList(ciphers));
        if (insecure) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else if (ca != null) {
            b.trustManager(new File(ca));
        }
        return b.build();
    }

    private static List<String> cipherList(String ciphers) {
        return ciphers == null ? null : Arrays.asList(ciphers.split(","));
    }
}
