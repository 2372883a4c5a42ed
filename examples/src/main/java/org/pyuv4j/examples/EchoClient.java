package org.pyuv4j.examples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;

/**
 * An echo client: {@code java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.EchoClient
 * PORT [message ...]} connects to 127.0.0.1:PORT, sends each message as a line, shuts down its write
 * side, prints everything the server sends back until EOF, and exits 0 if it got back exactly what
 * it sent. A 10 s timer bounds the run.
 */
public final class EchoClient {
    private EchoClient() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: EchoClient PORT [message ...]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        StringBuilder sent = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            sent.append(args[i]).append('\n');
        }
        if (sent.length() == 0) {
            sent.append("hello\n");
        }
        byte[] payload = sent.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int[] status = {1};

        try (Loop loop = new Loop()) {
            TCP client = new TCP(loop);
            Timer deadline = new Timer(loop);
            deadline.start(t -> {
                System.err.println("timed out");
                t.close();
                client.close();
            }, 10.0, 0.0);
            client.connect("127.0.0.1", port, (c, error) -> {
                if (error != null) {
                    System.err.println("connect: " + Errno.errorcode(error) + " (" + Errno.strerror(error) + ")");
                    c.close();
                    deadline.close();
                    return;
                }
                c.startRead((cc, data, err) -> {
                    if (data != null) {
                        received.writeBytes(data);
                        System.out.print(new String(data, StandardCharsets.UTF_8));
                        return;
                    }
                    if (err != Errno.UV_EOF) {
                        System.err.println("read: " + Errno.errorcode(err));
                    }
                    status[0] = java.util.Arrays.equals(payload, received.toByteArray()) ? 0 : 1;
                    cc.close();
                    deadline.close();
                });
                c.write(payload);
                c.shutdown();
            });
            loop.run();
        }
        System.exit(status[0]);
    }
}
