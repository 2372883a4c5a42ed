package org.pyuv4j.examples;

import io.netty.handler.ssl.SslContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pyuv4j.Async;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;

/**
 * A TLS echo server in the pyuv style: {@code listen}, {@code accept}, {@code startTls}, then
 * {@code startRead}/{@code write} on plaintext. At the client's EOF (its close_notify or FIN) it shuts
 * down (close_notify, FIN) and closes. See docs/TLS.md.
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.TlsEchoServer PORT
 *      [--cert CHAIN.pem --key KEY.pem] [--provider jdk|openssl] [--ciphers A,B]
 *
 * openssl s_client -connect 127.0.0.1:PORT -quiet      # type lines, they come back
 * </pre>
 *
 * <p>Without {@code --cert}/{@code --key} a self-signed certificate for localhost is made at start (its
 * PEM file is printed: {@code s_client -CAfile FILE -verify_hostname localhost} verifies it). Prints
 * {@code PORT <n>} once listening; SIGTERM (or Ctrl-C) closes everything and exits with status 0.
 */
public final class TlsEchoServer {
    private TlsEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        int port = 0;
        String cert = null;
        String key = null;
        String provider = "jdk";
        String ciphers = null;
        try {
            port = Integer.parseInt(args[0]);
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--cert" -> cert = args[++i];
                    case "--key" -> key = args[++i];
                    case "--provider" -> provider = args[++i];
                    case "--ciphers" -> ciphers = args[++i];
                    default -> usage();
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            usage();
        }
        if ((cert == null) != (key == null)) {
            usage();
        }
        SslContext context = TlsContexts.server(cert, key, TlsContexts.provider(provider), ciphers);

        Loop loop = new Loop();
        Set<TCP> clients = new HashSet<>();
        TCP server = new TCP(loop);
        server.bind("127.0.0.1", port);
        server.listen((srv, error) -> {
            if (error != null) {
                return;
            }
            TCP client = new TCP(loop);
            srv.accept(client);
            clients.add(client);
            client.startTls(context, (c, err) -> {
                if (err != null) { // UV_EPROTO (see c.getTlsFailure()), UV_ETIMEDOUT, UV_ECONNRESET
                    clients.remove(c);
                    c.close();
                    return;
                }
                c.startRead((h, data, e) -> {
                    if (data != null) {
                        h.write(data);
                    } else {
                        clients.remove(h);
                        if (e == org.pyuv4j.Errno.UV_EOF) {
                            h.shutdown((x, se) -> x.close()); // close_notify after the echo, then FIN
                        } else {
                            h.close();
                        }
                    }
                });
            });
        });
        CountDownLatch finished = new CountDownLatch(1);
        Async stopper = new Async(loop, a -> {
            server.close();
            for (TCP c : clients) {
                c.close();
            }
            clients.clear();
            a.close();
        });
        Signals.onTerminate(stopper::send, () -> {
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("PORT " + server.getsockname().port());
        System.out.flush();
        System.err.println("TlsEchoServer (pyuv4j) on 127.0.0.1:" + server.getsockname().port() + ", provider "
                + provider + ", transport " + loop.getTransport());
        try {
            loop.run();
            loop.close();
        } finally {
            finished.countDown();
        }
    }

    private static void usage() {
        System.err.println("usage: TlsEchoServer PORT [--cert CHAIN.pem --key KEY.pem] [--provider jdk|openssl]"
                + " [--ciphers A,B]");
        System.exit(2);
    }
}
