package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

class SmokeTest extends UvTestCase {
    @Test
    void timerFires() {
        int[] calls = {0};
        Timer t = new Timer(loop);
        t.start(h -> {
            calls[0]++;
            h.close();
        }, 0.01, 0);
        loop.run();
        assertEquals(1, calls[0]);
    }

    @Test
    void echo() {
        List<String> events = new ArrayList<>();
        TCP server = new TCP(loop);
        server.bind("127.0.0.1", 0);
        server.listen((s, err) -> {
            assertNull(err);
            TCP conn = new TCP(loop);
            s.accept(conn);
            conn.startRead((c, data, e) -> {
                if (data != null) {
                    c.write(data);
                } else {
                    events.add("server-eof");
                    c.close();
                    s.close();
                }
            });
        });
        int port = server.getsockname().port();
        TCP client = new TCP(loop);
        client.connect("127.0.0.1", port, (c, err) -> {
            assertNull(err);
            events.add("connected");
            c.startRead((cc, data, e) -> {
                assertArrayEquals("hello".getBytes(), data);
                events.add("echo");
                cc.close();
            });
            c.write("hello".getBytes(), (cc, e) -> events.add("written " + e));
        });
        loop.run();
        assertEquals(List.of("connected", "written null", "echo", "server-eof"), events);
    }
}
