package org.pyuv4j.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.openjdk.jmh.annotations.Param;
import org.pyuv4j.BenchAccess;
import org.pyuv4j.Loop;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;

/**
 * What every benchmark starts from: one loop on the chosen transport, a listening server, a client
 * connected to it over loopback and the accepted peer (TCP_NODELAY on both), all driven by the
 * calling (JMH) thread, which owns the loop. The transport parameter (and the JMH settings of
 * {@link Settings}) are inherited by every benchmark of the fixture.
 */
public abstract class Fixture extends Settings {
    /** The transport under test. */
    @Param({"epoll", "nio"})
    public String transport;

    static final int BATCH = 100;
    static final byte[] DATA = new byte[64];

    Loop loop;
    EventLoop io;
    TCP server;
    TCP client;
    TCP peer;
    Channel clientChannel;
    Channel peerChannel;
    ByteBufAllocator alloc;
    long events;

    void open(String transport) {
        loop = new Loop(transport);
        io = BenchAccess.io(loop);
        server = new TCP(loop);
        server.bind("127.0.0.1", 0);
        server.listen((srv, err) -> {
            peer = new TCP(loop);
            srv.accept(peer);
        });
        client = new TCP(loop);
        boolean[] connected = {false};
        client.connect(server.getsockname(), (c, err) -> {
            if (err != null) {
                throw new IllegalStateException("connect failed: " + err);
            }
            connected[0] = true;
        });
        while (!connected[0] || peer == null) {
            loop.run(RunMode.ONCE);
        }
        client.nodelay(true);
        peer.nodelay(true);
        clientChannel = BenchAccess.channel(client);
        peerChannel = BenchAccess.channel(peer);
        alloc = peerChannel.alloc();
    }

    void close() {
        client.close();
        peer.close();
        server.close();
        loop.run();
        loop.close();
    }
}
