package org.pyuv4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pyuv4j.Async;
import org.pyuv4j.BufReadCallback;
import org.pyuv4j.Loop;
import org.pyuv4j.ReadCallback;
import org.pyuv4j.TCP;

/**
 * The benchmark echo server written with the pyuv API (bench/run.sh runs it against
 * {@link NettyEchoServer}, the same server in raw Netty).
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.EchoServer PORT
 *      [--transport epoll|nio] [--copy|--zero-copy] [--nodelay] [--ftl]
 *      [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]
 * </pre>
 *
 * <ul>
 *   <li>listens on 127.0.0.1:PORT (0 = an ephemeral port) and prints {@code PORT <n>} once ready;</li>
 *   <li>{@code --copy} (default): {@code startRead} + {@code write(byte[])}, the pyuv way;
 *       {@code --zero-copy}: {@code startReadBuf} + {@code write(ByteBuf)} of the retained read buffer;</li>
 *   <li>{@code --nodelay}: TCP_NODELAY on accepted sockets (off by default, as libuv); bench/run.sh
 *       passes it to both servers;</li>
 *   <li>{@code --tls}: each accepted connection starts TLS ({@code startTls}) before it echoes; the
 *       provider, ciphers and certificate as {@code NettyEchoServer --tls} (see {@code TlsContexts});</li>
 *   <li>{@code --ftl} (an experiment for docs/PERFORMANCE.md): run the loop on a Netty
 *       {@code FastThreadLocalThread} instead of the main thread;</li>
 *   <li>SIGTERM (or Ctrl-C): wakes the loop with an {@link Async} that closes the server and every
 *       client; {@code run()} returns, the loop is closed and the JVM exits with status 0 (see {@link Signals}).</li>
 * </ul>
 */
public final class EchoServer {
    private final Loop loop;
    private final boolean zeroCopy;
    private final boolean nodelay;
    /** --tls: each accepted connection starts TLS with this context before reading. */
    private io.netty.handler.ssl.SslContext tls;
    /** Accepted connections, as pyuv's echo example keeps them; removed on EOF/error. */
    private final Set<TCP> clients = new HashSet<>();
    private final ReadCallback<TCP> copyEcho = this::onRead;
    private final BufReadCallback<TCP> zeroCopyEcho = this::onReadBuf;
    private TCP server;

    private EchoServer(Loop loop, boolean zeroCopy, boolean nodelay) {
        this.loop = loop;
        this.zeroCopy = zeroCopy;
        this.nodelay = nodelay;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, "EchoServer");
        Loop loop = o.transport == null ? new Loop() : new Loop(o.transport);
        EchoServer echo = new EchoServer(loop, o.zeroCopy, o.nodelay);
        echo.tls = o.tlsContext();
        if (!o.recv.equals("adaptive")) {
            System.err.println("EchoServer: --recv is a NettyEchoServer option");
            System.exit(2);
        }
        int port = echo.listen(o.port);
        CountDownLatch finished = new CountDownLatch(1);
        Async stopper = new Async(loop, a -> {
            echo.closeAll();
            a.close();
        });
        Signals.onTerminate(stopper::send /* thread-safe: the callback runs on the loop thread */, () -> {
            try {
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    System.err.println("EchoServer: loop did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("PORT " + port);
        System.out.flush();
        System.err.println("EchoServer (pyuv4j) on 127.0.0.1:" + port + ", transport " + loop.getTransport()
                + ", " + (o.zeroCopy ? "zero-copy" : "copy") + ", TCP_NODELAY " + o.nodelay
                + (o.tls ? ", TLS " + o.provider : ""));
        Runnable runLoop = () -> {
            try {
                loop.run();
                loop.close();
            } finally {
                finished.countDown();
            }
        };
        if (o.ftl) {
            // Experiment: the loop on a Netty FastThreadLocalThread, as raw Netty's event loops are (Netty's
            // allocator then uses thread-local magazines). The first run() claims the loop for that thread.
            Thread t = new FastThreadLocalThread(runLoop, "pyuv4j-loop");
            t.start();
            t.join();
        } else {
            runLoop.run();
        }
    }

    private int listen(int port) {
        server = new TCP(loop);
        server.bind("127.0.0.1", port);
        server.listen((srv, error) -> {
            if (error != null) {
                return; // a failed accept (e.g. EMFILE): nothing to take
            }
            TCP client = new TCP(loop);
            srv.accept(client);
            if (nodelay) {
                client.nodelay(true);
            }
            clients.add(client);
            if (tls == null) {
                startEcho(client);
                return;
            }
            client.startTls(tls, (c, err) -> {
                if (err != null) {
                    drop(c); // UV_EPROTO, UV_ETIMEDOUT, UV_ECONNRESET
                } else {
                    startEcho(c);
                }
            });
        });
        return server.getsockname().port();
    }

    private void startEcho(TCP client) {
        if (zeroCopy) {
            client.startReadBuf(zeroCopyEcho);
        } else {
            client.startRead(copyEcho);
        }
    }

    private void onRead(TCP client, byte[] data, Integer error) {
        if (data != null) {
            client.write(data);
        } else {
            drop(client); // UV_EOF or a read error
        }
    }

    private void onReadBuf(TCP client, ByteBuf data, Integer error) {
        if (data != null) {
            // The stream releases the read buffer after this callback; write() takes its own reference.
            data.retain();
            try {
                client.write(data);
            } catch (RuntimeException e) {
                data.release(); // on a throw the caller still owns the buffer
                throw e;
            }
        } else {
            drop(client);
        }
    }

    private void drop(TCP client) {
        clients.remove(client);
        if (!client.isClosed()) {
            client.close();
        }
    }

    private void closeAll() {
        if (!server.isClosed()) {
            server.close();
        }
        List<TCP> open = new ArrayList<>(clients);
        clients.clear();
        for (TCP c : open) {
            if (!c.isClosed()) {
                c.close();
            }
        }
    }

    /** The command line shared by both benchmark servers. */
    static final class Options {
        int port;
        String transport;
        boolean zeroCopy;
        boolean nodelay;
        /** EchoServer only: run the loop on a FastThreadLocalThread (pyuv4j then skips its own FTL scope). */
        boolean ftl;
        /** NettyEchoServer only: "adaptive" (Netty's default) or "fixed64k" (a fixed 64 KiB read buffer). */
        String recv = "adaptive";
        /** TLS (both servers): on, the provider, an optional cipher list, PEM files (else a self-signed certificate). */
        boolean tls;
        String provider = "jdk";
        String ciphers;
        String cert;
        String key;

        /** The server context for --tls, or null without it. */
        io.netty.handler.ssl.SslContext tlsContext() throws Exception {
            if (!tls) {
                return null;
            }
            if ((cert == null) != (key == null)) {
                System.err.println("--cert and --key go together");
                System.exit(2);
            }
            return TlsContexts.server(cert, key, TlsContexts.provider(provider), ciphers);
        }

        static Options parse(String[] args, String name) {
            Options o = new Options();
            if (args.length < 1) {
                usage(name);
            }
            try {
                o.port = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                usage(name);
            }
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--transport":
                        if (++i >= args.length) {
                            usage(name);
                        }
                        o.transport = args[i];
                        if (!o.transport.equals("epoll") && !o.transport.equals("nio")) {
                            usage(name);
                        }
                        break;
                    case "--copy":
                        o.zeroCopy = false;
                        break;
                    case "--zero-copy":
                        o.zeroCopy = true;
                        break;
                    case "--nodelay":
                        o.nodelay = true;
                        break;
                    case "--ftl":
                        o.ftl = true;
                        break;
                    case "--recv":
                        if (++i >= args.length) {
                            usage(name);
                        }
                        o.recv = args[i];
                        break;
                    case "--tls":
                        o.tls = true;
                        break;
                    case "--provider":
                    case "--ciphers":
                    case "--cert":
                    case "--key":
                        if (i + 1 >= args.length) {
                            usage(name);
                        }
                        String v = args[++i];
                        switch (args[i - 1]) {
                            case "--provider" -> o.provider = v;
                            case "--ciphers" -> o.ciphers = v;
                            case "--cert" -> o.cert = v;
                            default -> o.key = v;
                        }
                        break;
                    default:
                        usage(name);
                }
            }
            if (o.port < 0 || o.port > 65535) {
                usage(name);
            }
            return o;
        }

        private static void usage(String name) {
            System.err.println("usage: " + name + " PORT [--transport epoll|nio] [--copy|--zero-copy] [--nodelay]"
                    + (name.startsWith("Netty") ? " [--recv adaptive|fixed64k]" : " [--ftl]")
                    + " [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]");
            System.exit(2);
        }
    }
}
