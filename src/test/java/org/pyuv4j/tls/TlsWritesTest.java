package org.pyuv4j.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pyuv4j.Errno;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TlsSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Writes on a TLS stream keep their pyuv meaning: writes made before the handshake completes go out
 * after it, in order, their callbacks after the handshake's; {@code getWriteQueueSize()} counts their
 * plaintext bytes; reads get the decrypted bytes; {@code tryWrite} always answers {@code UV_EAGAIN}.
 */
class TlsWritesTest extends UvTestCase {
    static Stream<SslProvider> providers() {
        return TlsSupport.providers();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void writesBeforeTheHandshakeFollowItInOrder(SslProvider provider) {
        TcpSupport.watchdog(loop, 10, () -> "did not finish");
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long[] queued = new long[1];
        TcpSupport.pair(loop, HOST, (c, s) -> {
            s.startTls(TlsSupport.serverContext(provider, TlsSupport.server()), (h, e) -> assertNull(e));
            s.startRead((h, d, e) -> {
                if (d != null) {
                    got.writeBytes(d);
                } else {
                    events.add("server end " + Errno.errorcode(e));
                    h.close();
                }
            });
            c.startTls(TlsSupport.clientContext(provider), TlsSupport.SERVER_NAME,
                    (h, e) -> events.add("handshake " + TcpSupport.name(e)));
            for (int i = 0; i < 5; i++) {
                int n = i;
                c.write(("part" + i + ";").repeat(100).getBytes(StandardCharsets.US_ASCII),
                        (h, e) -> events.add("write " + n + " " + TcpSupport.name(e)));
            }
            queued[0] = c.getWriteQueueSize();
            TcpSupport.assertTcpError(Errno.UV_EAGAIN, () -> c.tryWrite("x".getBytes(StandardCharsets.US_ASCII)));
            c.shutdown((h, e) -> {
                events.add("shutdown " + TcpSupport.name(e));
                assertEquals(0, h.getWriteQueueSize());
                TcpSupport.assertTcpError(Errno.UV_EAGAIN, () -> h.tryWrite(new byte[] {1}));
                h.close();
            });
        });
        loop.run();
        assertEquals(5 * 600, queued[0], "plaintext bytes queued while the handshake runs");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            expected.append(("part" + i + ";").repeat(100));
        }
        assertEquals(expected.toString(), got.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of("handshake null", "write 0 null", "write 1 null", "write 2 null", "write 3 null",
                "write 4 null", "shutdown null"), events.subList(0, 7));
        assertEquals("server end UV_EOF", events.get(events.size() - 1));
    }
}
