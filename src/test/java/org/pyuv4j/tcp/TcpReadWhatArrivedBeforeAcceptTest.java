package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pyuv4j.test.TcpSupport.b;
import static org.pyuv4j.test.TcpSupport.str;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.TcpTestCase;

/**
 * A client that writes and then resets (or finishes) before the server has accepted: data, then the end,
 * are all in the socket when reading starts. libuv's level-triggered poll reports the data and then the
 * end (UV_ECONNRESET or UV_EOF) in the same way as when they arrive while reading. Netty's io_uring
 * transport once waited for a new wake-up after the data and never reported the reset.
 */
@Timeout(30)
class TcpReadWhatArrivedBeforeAcceptTest extends TcpTestCase {
    @Test
    void dataThenResetGivesTheDataThenEconnreset() throws IOException {
        assertEquals(List.of("read hello", "read UV_ECONNRESET"), readAll(true));
    }

    @Test
    void dataThenFinGivesTheDataThenEof() throws IOException {
        assertEquals(List.of("read hello", "read UV_EOF"), readAll(false));
    }

    /** A plain client sends "hello" and closes (with a reset if asked) before the loop runs. */
    private List<String> readAll(boolean reset) throws IOException {
        watchdog();
        TCP server = TcpSupport.server(loop, HOST, (srv, e) -> {
            TCP conn = new TCP(loop);
            srv.accept(conn);
            srv.close();
            conn.startRead((h, data, re) -> {
                ev(data != null ? "read " + str(data) : "read " + err(re));
                if (data == null) {
                    h.close();
                }
            });
        });
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(HOST, server.getsockname().port()), 5000);
            OutputStream out = raw.getOutputStream();
            out.write(b("hello"));
            out.flush();
            if (reset) {
                raw.setSoLinger(true, 0);
            }
        }
        loop.run();
        return events;
    }
}
