package org.pyuv4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.pyuv4j.Address;
import org.pyuv4j.Async;
import org.pyuv4j.BufReadCallback;
import org.pyuv4j.Handle;
import org.pyuv4j.Loop;
import org.pyuv4j.ReadCallback;
import org.pyuv4j.TCP;

/**
 * The benchmark echo server written with the pyuv API (bench/run.sh runs it against
 * {@link NettyEchoServer}, the same server in raw Netty).
 *
 * <pre>
 * java -cp examples/target/pyuv4j-examples.jar org.pyuv4j.examples.EchoServer PORT
 *      [--transport epoll|nio|io_uring] [--copy|--zero-copy] [--nodelay] [--lines] [--ftl]
 *      [--loops N [--handoff]]
 *      [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]
 * </pre>
 *
 * <ul>
 *   <li>listens on 127.0.0.1:PORT (0 = an ephemeral port) and prints {@code PORT <n>} once ready;</li>
 *   <li>{@code --copy} (default): {@code startRead} + {@code write(byte[])}, the pyuv way;
 *       {@code --zero-copy}: {@code startReadBuf} + {@code write(ByteBuf)} of the retained read buffer;</li>
 *   <li>{@code --nodelay}: TCP_NODELAY on accepted sockets (off by default, as libuv); bench/run.sh
 *       passes it to both servers;</li>
 *   <li>{@code --lines}: a Netty {@code LineBasedFrameDecoder} in front of the read callback
 *       ({@code Stream.pipeline()}); each line is echoed as it is framed (docs/NETTY.md);</li>
 *   <li>{@code --loops N}: N loops on N threads, each listening on the port with
 *       {@code TCP.REUSEPORT} (the kernel spreads the connections); with {@code --handoff}, loop 0
 *       alone listens and hands each connection to the loops in turn with {@code TCP.acceptTo}
 *       (docs/SCALING.md);</li>
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
    private final boolean lines;
    /** --tls: each accepted connection starts TLS with this context before reading. */
    private io.netty.handler.ssl.SslContext tls;
    /** Accepted connections, as pyuv's echo example keeps them; removed on EOF/error. */
    private final ReadCallback<TCP> copyEcho = this::onRead;
    private final BufReadCallback<TCP> zeroCopyEcho = this::onReadBuf;
    private TCP server;

    private EchoServer(Loop loop, Options o) {
        this.loop = loop;
        this.zeroCopy = o.zeroCopy;
        this.nodelay = o.nodelay;
        this.lines = o.lines;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, "EchoServer");
        if (!o.recv.equals("adaptive")) {
            System.err.println("EchoServer: --recv is a NettyEchoServer option");
            System.exit(2);
        }
        if (o.handoff && o.loops < 2) {
            System.err.println("EchoServer: --handoff needs --loops N with N >= 2");
            System.exit(2);
        }
        List<EchoServer> echoes = new ArrayList<>();
        List<Loop> loops = new ArrayList<>();
        io.netty.handler.ssl.SslContext tls = o.tlsContext(); // thread-safe: shared by the loops
        for (int i = 0; i < o.loops; i++) {
            Loop loop = o.transport == null ? new Loop() : new Loop(o.transport);
            loops.add(loop);
            EchoServer echo = new EchoServer(loop, o);
            echo.tls = tls;
            echoes.add(echo);
        }
        int port;
        if (o.loops == 1) {
            port = echoes.get(0).listen(o.port, 0);
        } else if (!o.handoff) {
            // N loops, one listener each on the same port: the kernel spreads the connections (REUSEPORT).
            port = echoes.get(0).listen(o.port, TCP.REUSEPORT);
            for (int i = 1; i < o.loops; i++) {
                echoes.get(i).listen(port, TCP.REUSEPORT);
            }
        } else {
            // One acceptor (loop 0) hands the connections to every loop in turn, itself included.
            port = echoes.get(0).listenHandingOff(o.port, echoes);
        }
        CountDownLatch finished = new CountDownLatch(o.loops);
        List<Async> stoppers = new ArrayList<>();
        for (EchoServer echo : echoes) {
            stoppers.add(new Async(echo.loop, a -> {
                echo.closeAll();
                a.close();
            }));
        }
        Signals.onTerminate(() -> stoppers.forEach(Async::send) /* thread-safe */, () -> {
            try {
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    System.err.println("EchoServer: loops did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("PORT " + port);
        System.out.flush();
        System.err.println("EchoServer (pyuv4j) on 127.0.0.1:" + port + ", transport " + loops.get(0).getTransport()
                + ", " + (o.zeroCopy ? "zero-copy" : "copy") + ", TCP_NODELAY " + o.nodelay
                + (o.tls ? ", TLS " + o.provider : "") + (o.lines ? ", line decoder" : "") + (o.loops > 1 ? ", " + o.loops + " loops"
                + (o.handoff ? " (one acceptor, hand-off)" : " (REUSEPORT)") : ""));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.loops; i++) {
            Loop loop = loops.get(i);
            Runnable runLoop = () -> {
                try {
                    loop.run();
                    loop.close();
                } finally {
                    finished.countDown();
                }
            };
            if (i == 0 && !o.ftl) {
                continue; // the main thread runs loop 0 below
            }
            // --ftl (an experiment): the loop on a Netty FastThreadLocalThread, as raw Netty's event loops are.
            Thread t = o.ftl ? new FastThreadLocalThread(runLoop, "pyuv4j-loop-" + i) : new Thread(runLoop, "pyuv4j-loop-" + i);
            threads.add(t);
            t.start();
        }
        if (!o.ftl) {
            try {
                loops.get(0).run();
                loops.get(0).close();
            } finally {
                finished.countDown();
            }
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private int listen(int port, int flags) {
        server = new TCP(loop);
        server.bind(Address.of("127.0.0.1", port), flags);
        server.listen((srv, error) -> {
            if (error != null) {
                return; // a failed accept (e.g. EMFILE): nothing to take
            }
            TCP client = new TCP(loop);
            srv.accept(client);
            serve(client);
        });
        return server.getsockname().port();
    }

    private int listenHandingOff(int port, List<EchoServer> targets) {
        server = new TCP(loop);
        server.bind("127.0.0.1", port);
        int[] turn = {0};
        server.listen((srv, error) -> {
            if (error != null) {
                return;
            }
            EchoServer target = targets.get(turn[0]++ % targets.size());
            srv.acceptTo(target.loop, target::serve); // serve() runs on the target loop's thread
        });
        return server.getsockname().port();
    }

    /** An accepted connection of this loop: echo what it sends. */
    private void serve(TCP client) {
        if (nodelay) {
            client.nodelay(true);
        }
        if (lines) {
            // Netty's line framing in front of the read callback: one callback per line, newline kept.
            client.pipeline().addLast(new LineBasedFrameDecoder(65536, false, false));
        }
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
        if (!client.isClosed()) {
            client.close();
        }
    }

    private void closeAll() {
        if (server != null && !server.isClosed()) {
            server.close();
        }
        for (Handle<?> h : loop.getHandles()) { // pyuv: for h in loop.handles: h.close()
            if (!h.isClosed()) {
                h.close();
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
        /** Loops (EchoServer {@code --loops}) or event-loop threads (NettyEchoServer {@code --threads}). */
        int loops = 1;
        /** EchoServer only, with --loops: one acceptor hands connections out round robin (else REUSEPORT). */
        boolean handoff;
        /** Both: a LineBasedFrameDecoder in front; each line is echoed as it is framed. */
        boolean lines;
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
                        break;
                    case "--loops":
                    case "--threads":
                        if (++i >= args.length) {
                            usage(name);
                        }
                        o.loops = Integer.parseInt(args[i]);
                        if (o.loops < 1) {
                            usage(name);
                        }
                        break;
                    case "--handoff":
                        o.handoff = true;
                        break;
                    case "--lines":
                        o.lines = true;
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
            System.err.println("usage: " + name + " PORT [--transport epoll|nio|io_uring] [--copy|--zero-copy] [--nodelay]"
                    + " [--lines]" + (name.startsWith("Netty") ? " [--recv adaptive|fixed64k] [--threads N]"
                    : " [--ftl] [--loops N [--handoff]]")
                    + " [--tls [--provider jdk|openssl] [--ciphers A,B] [--cert CHAIN.pem --key KEY.pem]]");
            System.exit(2);
        }
    }
}
