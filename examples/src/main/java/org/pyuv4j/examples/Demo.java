package org.pyuv4j.examples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;

/**
 * The README's demo: an echo server and a client on one loop. The client sends a few lines, prints
 * what comes back, shuts down its side; the server echoes until EOF; then everything closes and
 * {@code run()} returns. Exits 0 when every line came back intact.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        String[] lines = {"hello", "from", "pyuv4j"};
        StringBuilder echoed = new StringBuilder();
        List<TCP> clients = new ArrayList<>(); // keep accepted handles, as pyuv's echo example does

        try (Loop loop = new Loop()) {
            TCP server = new TCP(loop);
            server.bind("127.0.0.1", 0);
            server.listen((srv, error) -> {
                TCP conn = new TCP(loop);
                srv.accept(conn);
                clients.add(conn);
                conn.startRead((c, data, err) -> {
                    if (data != null) {
                        c.write(data); // echo
                    } else {           // UV_EOF: the client shut down its side
                        c.close();
                        srv.close();
                    }
                });
            });
            Address address = server.getsockname();
            System.out.println("pyuv4j demo on the " + loop.getTransport() + " transport, echo server at " + address);

            TCP client = new TCP(loop);
            client.connect(address, (c, error) -> {
                if (error != null) {
                    System.out.println("connect failed: " + Errno.errorcode(error));
                    c.close();
                    return;
                }
                c.startRead((cc, data, err) -> {
                    if (data != null) {
                        echoed.append(new String(data, StandardCharsets.UTF_8));
                        System.out.print("echo: " + new String(data, StandardCharsets.UTF_8));
                    } else {
                        cc.close(); // the server closed after our shutdown
                    }
                });
                for (String line : lines) {
                    c.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
                c.shutdown((cc, err) -> System.out.println("client shut down its write side"));
            });

            loop.run();
        }
        String expected = String.join("\n", lines) + "\n";
        boolean ok = expected.contentEquals(echoed);
        System.out.println(ok ? "demo OK: all lines echoed" : "demo FAILED: got " + echoed);
        if (!ok) {
            System.exit(1);
        }
    }
}
