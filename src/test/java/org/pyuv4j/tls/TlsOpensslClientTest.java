package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * A TLS client nobody here wrote: Debian's {@code openssl s_client} (OpenSSL 3) talks to a pyuv4j TLS echo
 * server (the same one as examples/TlsEchoServer) with certificate and host name verification on; what it
 * prints is what it sent. The server closes (close_notify, FIN) once it has echoed everything, which is
 * what ends {@code s_client -quiet}. Skipped where {@code openssl} is not installed.
 */
class TlsOpensslClientTest extends UvTestCase {
    private static final int SIZE = 256 << 10;

    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    private static String openssl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "openssl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void opensslSClientGetsItsBytesBack(SslProvider provider) throws Exception {
        String openssl = openssl();
        assumeTrue(openssl != null, "openssl is not installed (apt-get install openssl): s_client test skipped");
        SslContext ctx = TlsSupport.serverContext(provider, TlsSupport.server());
        byte[] input = new byte[SIZE];
        new Random(1).nextBytes(input);
        Path dir = Files.createTempDirectory("pyuv4j-sclient");
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Path ca = TlsSupport.ca().toTempRootCertPem().toPath();
        Files.write(in, input);
        long[] echoed = new long[1];
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            assertNull(e);
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startTls(ctx, (h, he) -> {
                assertNull(he, () -> "handshake with s_client: " + TcpSupport.name(he) + " " + h.getTlsFailure());
                h.startRead((x, d, re) -> {
                    if (d == null) {
                        x.close();
                        return;
                    }
                    x.write(d);
                    echoed[0] += d.length;
                    if (echoed[0] == SIZE) {
                        x.shutdown((y, se) -> y.close());
                    }
                });
            });
        });
        Process p = new ProcessBuilder(openssl, "s_client", "-connect", HOST + ":" + server.getsockname().port(),
                "-quiet", "-servername", TlsSupport.SERVER_NAME, "-verify_hostname", TlsSupport.SERVER_NAME,
                "-CAfile", ca.toString(), "-verify_return_error")
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            TcpSupport.watchdog(loop, 20, () -> "s_client exchange did not finish; echoed " + echoed[0]);
            loop.run();
            assertEquals(true, p.waitFor(20, TimeUnit.SECONDS), "s_client exits once the server closed");
            byte[] output = Files.readAllBytes(out);
            assertEquals(SIZE, output.length, () -> "s_client's stderr: " + read(err));
            assertArrayEquals(input, output);
        } finally {
            p.destroyForcibly();
            for (Path f : new Path[] {in, out, err, ca}) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
