package org.pyuv4j.examples;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;

/**
 * A TLS client in the pyuv style: connects, starts TLS, sends its standard input and prints what comes
 * back; once standard input is done and everything sent came back, it shuts down (close_notify, FIN) and
 * exits at the server's EOF. Standard input is read on its own thread and handed to the loop with the
 * thread-safe {@code Loop.execute}.
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.TlsEchoClient HOST PORT
 *      [--server-name NAME] [--ca CA.pem | --insecure] [--provider jdk|openssl] [--ciphers A,B]
 * </pre>
 *
 * <p>HOST is a numeric address. The certificate is verified against {@code --server-name} (also sent as
 * SNI), or against HOST without it; {@code --ca} trusts that PEM file instead of the system's CAs;
 * {@code --insecure} verifies nothing (for the self-signed certificate of a TlsEchoServer started bare).
 * SIGTERM (or Ctrl-C) closes the connection and exits with status 0.
 */
public final class TlsEchoClient {
    private long sent;
    private long received;
    private boolean inputDone;
    private boolean shutdown;

    private TlsEchoClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        String host = args[0];
        int port = 0;
        String serverName = null;
        String ca = null;
        boolean insecure = false;
        String provider = "jdk";
        String ciphers = null;
        try {
            port = Integer.parseInt(args[1]);
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--server-name" -> serverName = args[++i];
                    case "--ca" -> ca = args[++i];
                    case "--insecure" -> insecure = true;
                    case "--provider" -> provider = args[++i];
                    case "--ciphers" -> ciphers = args[++i];
                    default -> usage();
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            usage();
        }
        SslContext context = TlsContexts.client(ca, insecure, TlsContexts.provider(provider), ciphers);
        new TlsEchoClient().run(host, port, serverName, context);
    }

    private void run(String host, int port, String serverName, SslContext context) {
        Loop loop = new Loop();
        TCP tcp = new TCP(loop);
        int[] status = {0};
        tcp.connect(host, port, (c, err) -> {
            if (err != null) {
                System.err.println("connect: " + Errno.errorcode(err));
                status[0] = 1;
                c.close();
                return;
            }
            c.startTls(context, serverName, (t, e) -> {
                if (e != null) {
                    System.err.println("TLS handshake: " + Errno.errorcode(e) + " " + t.getTlsFailure());
                    status[0] = 1;
                    t.close();
                    return;
                }
                System.err.println("TLS " + t.getSslSession().getProtocol() + " " + t.getSslSession().getCipherSuite());
                t.startRead((h, data, re) -> {
                    if (data != null) {
                        System.out.write(data, 0, data.length);
                        System.out.flush();
                        received += data.length;
                        maybeShutdown(h);
                    } else {
                        h.close(); // the server's EOF (or an error): done
                    }
                });
                startInput(loop, t);
            });
        });
        Signals.onTerminate(() -> loop.execute(() -> {
            if (!tcp.isClosed()) {
                tcp.close();
            }
        }), () -> { });
        loop.run();
        loop.close();
        System.exit(status[0]);
    }

    /** Standard input on a thread of its own; each chunk is written on the loop's thread. */
    private void startInput(Loop loop, TCP tcp) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = System.in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    byte[] chunk = Arrays.copyOf(buf, n);
                    loop.execute(() -> {
                        if (!tcp.isClosed()) {
                            sent += chunk.length;
                            tcp.write(chunk);
                        }
                    });
                }
            } catch (IOException e) {
                System.err.println("stdin: " + e);
            }
            loop.execute(() -> {
                inputDone = true;
                maybeShutdown(tcp);
            });
        }, "stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Shut down once the input is done and all of it came back (a half-close the OpenSSL engine would end early). */
    private void maybeShutdown(TCP tcp) {
        if (inputDone && received >= sent && !shutdown && !tcp.isClosed()) {
            shutdown = true;
            tcp.shutdown();
        }
    }

    private static void usage() {
        System.err.println("usage: TlsEchoClient HOST PORT [--server-name NAME] [--ca CA.pem | --insecure]"
                + " [--provider jdk|openssl] [--ciphers A,B]");
        System.exit(2);
    }
}
