package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Address;
import org.pyuv4j.RunMode;
import org.pyuv4j.TCP;
import org.pyuv4j.error.UVError;
import org.pyuv4j.test.LogCapture;

/**
 * No Netty or JDK exception type crosses the public API: every public method of {@link TCP}, called
 * in every state a handle can be in (no socket, a socket of either family, bound, bound with a
 * deferred EADDRINUSE, listening, connecting, connected, accepted, after the peer's EOF or reset,
 * shut down, closing, closed), with good and bad arguments, either returns or throws one of pyuv4j's
 * errors ({@link UVError} and its subclasses), {@link IllegalArgumentException},
 * {@link NullPointerException} or {@link IllegalStateException}. Found by an independent check: a
 * second bind of an IPv6 handle on epoll threw Netty's {@code ChannelException} (its setsockopt
 * failure), where pyuv raises {@code TCPError(UV_EINVAL)}. Netty must not log either (a warning from
 * Netty is an exception someone did not handle).
 */
class ApiExceptionTypesTest extends ReliabilityTestCase {
    private static final Address V4 = Address.of(HOST, 0);
    private static final Address V6 = Address.of("::1", 0);

    /** Every call, by name; each gets a handle of its own in the state under test. */
    private static Map<String, Consumer<TCP>> calls() {
        Map<String, Consumer<TCP>> m = new LinkedHashMap<>();
        m.put("bind v4", h -> h.bind(V4));
        m.put("bind v6", h -> h.bind(V6));
        m.put("bind v4 IPV6ONLY", h -> h.bind(V4, TCP.IPV6ONLY));
        m.put("bind v6 IPV6ONLY", h -> h.bind(V6, TCP.IPV6ONLY));
        m.put("bind v4 flags 4", h -> h.bind(V4, 4));
        m.put("bind 127.255.255.255", h -> h.bind("127.255.255.255", 0));
        m.put("bind 0.0.0.0:1", h -> h.bind("0.0.0.0", 1));
        m.put("connect v4 port 1", h -> h.connect(HOST, 1, (x, e) -> { }));
        m.put("connect v6 port 1", h -> h.connect("::1", 1, (x, e) -> { }));
        m.put("listen", h -> h.listen((x, e) -> { }));
        m.put("listen backlog 0", h -> h.listen((x, e) -> { }, 0));
        m.put("accept", h -> h.accept(new TCP(h.getLoop())));
        m.put("startRead", h -> h.startRead((x, d, e) -> { }));
        m.put("startReadBuf", h -> h.startReadBuf((x, d, e) -> { }));
        m.put("stopRead", TCP::stopRead);
        m.put("write byte[]", h -> h.write(new byte[] {1, 2, 3}, (x, e) -> { }));
        m.put("write empty", h -> h.write(new byte[0]));
        m.put("write ByteBuffer", h -> h.write(ByteBuffer.wrap(new byte[] {1})));
        m.put("write ByteBuf", h -> {
            ByteBuf b = Unpooled.directBuffer(1).writeByte(1);
            try {
                h.write(b);
            } catch (RuntimeException e) {
                b.release(); // the caller still owns it when write throws
                throw e;
            }
        });
        m.put("write list", h -> h.write(List.of(new byte[] {1}, new byte[] {2})));
        m.put("tryWrite byte[]", h -> h.tryWrite(new byte[] {1}));
        m.put("tryWrite ByteBuffer", h -> h.tryWrite(ByteBuffer.wrap(new byte[] {1})));
        m.put("shutdown", h -> h.shutdown((x, e) -> { }));
        m.put("getWriteQueueSize", TCP::getWriteQueueSize);
        m.put("flags", h -> {
            h.isReadable();
            h.isWritable();
            h.isActive();
            h.isClosed();
            h.isRef();
            h.setRef(false);
            h.setRef(true);
            h.getLoop();
        });
        m.put("fileno", TCP::fileno);
        m.put("open -1", h -> h.open(-1));
        m.put("open 99999", h -> h.open(99999));
        m.put("getsockname", TCP::getsockname);
        m.put("getpeername", TCP::getpeername);
        m.put("getFamily", TCP::getFamily);
        m.put("nodelay", h -> {
            h.nodelay(true);
            h.nodelay(false);
        });
        m.put("keepalive 1", h -> h.keepalive(true, 1));
        m.put("keepalive 0", h -> h.keepalive(true, 0));
        m.put("keepalive off", h -> h.keepalive(false, 0));
        m.put("simultaneousAccepts", h -> h.simultaneousAccepts(true));
        m.put("send buffer", h -> {
            h.getSendBufferSize();
            h.setSendBufferSize(65536);
            h.setSendBufferSize(-1);
        });
        m.put("receive buffer", h -> {
            h.getReceiveBufferSize();
            h.setReceiveBufferSize(65536);
            h.setReceiveBufferSize(0);
        });
        m.put("close twice", h -> {
            h.close();
            h.close();
        });
        return m;
    }

    private final List<String> wrong = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();

    private void callAll(String state, List<TCP> handles) {
        int i = 0;
        for (Map.Entry<String, Consumer<TCP>> call : calls().entrySet()) {
            TCP h = handles.get(i++);
            try {
                call.getValue().accept(h);
            } catch (UVError | IllegalArgumentException | NullPointerException | IllegalStateException allowed) {
                seen.add(allowed.getClass().getSimpleName());
            } catch (Throwable t) {
                wrong.add(state + " / " + call.getKey() + ": " + t);
            }
        }
    }

    private List<TCP> handles(java.util.function.Supplier<TCP> make) {
        List<TCP> out = new ArrayList<>();
        for (int i = 0; i < calls().size(); i++) {
            out.add(make.get());
        }
        return out;
    }

    @Test
    void everyMethodInEveryStateThrowsOnlyPyuvErrorsAndJavasArgumentAndStateExceptions() {
        watchdog(30);
        LogCapture.clear();
        callAll("no socket", handles(() -> new TCP(loop)));
        callAll("INET socket", handles(() -> new TCP(loop, StandardProtocolFamily.INET)));
        callAll("INET6 socket", handles(() -> new TCP(loop, StandardProtocolFamily.INET6)));
        callAll("bound v4", handles(() -> bound(V4)));
        callAll("bound v6", handles(() -> bound(V6)));
        TCP holder = bound(V4);
        holder.listen((s, e) -> { });
        Address taken = holder.getsockname();
        callAll("bound, EADDRINUSE deferred", handles(() -> bound(taken)));
        callAll("listening v4", handles(() -> listening(V4)));
        callAll("listening v6", handles(() -> listening(V6)));
        callAll("closing", handles(() -> {
            TCP h = bound(V4);
            h.close();
            return h;
        }));

        // Connected states: a server that accepts everything; the clients are used once all are connected.
        List<TCP> accepted = new ArrayList<>();
        TCP server = server((s, e) -> {
            TCP c = new TCP(loop);
            s.accept(c);
            accepted.add(c);
        });
        int n = calls().size();
        List<TCP> connecting = handles(() -> {
            TCP c = new TCP(loop);
            c.connect(server.getsockname(), (x, e) -> { });
            return c;
        });
        callAll("connecting", connecting);
        List<TCP> clients = handles(() -> {
            TCP c = new TCP(loop);
            c.connect(server.getsockname(), (x, e) -> { });
            return c;
        });
        List<TCP> eofClients = handles(() -> {
            TCP c = new TCP(loop);
            c.connect(server.getsockname(), (x, e) -> { });
            return c;
        });
        runUntil(() -> accepted.size() >= 3 * n);
        callAll("connected", clients);
        callAll("accepted", accepted.subList(0, n));
        // The peers of the eofClients shut down; the clients read the EOF, then are called.
        List<TCP> peers = new ArrayList<>(accepted.subList(2 * n, 3 * n));
        for (TCP p : peers) {
            p.shutdown();
        }
        int[] eofs = {0};
        for (TCP c : eofClients) {
            c.startRead((x, d, e) -> eofs[0]++);
        }
        runUntil(() -> eofs[0] >= n);
        callAll("after EOF", eofClients);
        List<TCP> shutDown = accepted.subList(n, 2 * n);
        for (TCP s : shutDown) {
            s.shutdown();
        }
        loop.run(RunMode.NOWAIT);
        callAll("shut down", shutDown);
        List<TCP> closed = handles(() -> {
            TCP h = new TCP(loop, StandardProtocolFamily.INET);
            h.close();
            return h;
        });
        loop.run(RunMode.NOWAIT);
        callAll("closed", closed);

        for (TCP h : loop.getHandles().stream().filter(TCP.class::isInstance).map(TCP.class::cast).toList()) {
            if (!h.isClosed()) {
                h.close();
            }
        }
        loop.run();
        List<String> nettyWarnings = LogCapture.events().stream()
                .filter(e -> e.logger().startsWith("io.netty") && e.level().toInt() >= org.slf4j.event.Level.WARN.toInt())
                .map(e -> e.logger() + ": " + e.message() + (e.error() != null ? " " + e.error() : "")).toList();
        assertEquals(List.of(), wrong, "exceptions of other types crossed the API");
        assertEquals(List.of(), nettyWarnings, "Netty logged warnings");
        figure("API exception types", "%d calls in %d states; %d raised one of the allowed types, none another",
                calls().size() * 14, 14, seen.size());
    }

    private TCP bound(Address a) {
        TCP h = new TCP(loop);
        h.bind(a);
        return h;
    }

    private TCP listening(Address a) {
        TCP h = bound(a);
        h.listen((s, e) -> { });
        return h;
    }

    private void runUntil(java.util.function.BooleanSupplier done) {
        for (int i = 0; i < 10_000 && !done.getAsBoolean(); i++) {
            loop.run(RunMode.ONCE);
        }
        if (!done.getAsBoolean()) {
            throw new AssertionError("the loop did not get there");
        }
    }
}
