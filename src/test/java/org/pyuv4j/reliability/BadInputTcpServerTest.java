package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.Loop;
import org.pyuv4j.TCP;

/**
 * Bad input to the server side of TCP: {@code bind} (nulls, host names, ports, IPV6ONLY, family
 * mismatches, twice), {@code listen} (null callback, negative backlogs) and {@code accept} (null,
 * nothing pending, not listening, a client of another loop) (see BadInputTestCase).
 */
class BadInputTcpServerTest extends BadInputTestCase<BadInputTcpServerTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputTcpServerTest> r = new Rows<>();

        // ---- TCP.bind
        r.add("TCP.bind(null)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.bind((Address) null));
            t.npe(() -> h.bind((Address) null, 0));
            t.npe(() -> h.bind((String) null, 0));
            t.validBindStillWorks(h);
        });
        r.add("TCP.bind(\"localhost\", 0)", t -> {
            TCP h = new TCP(t.loop);
            t.iae(INVALID_IP, () -> h.bind("localhost", 0));
            t.tcpError(Errno.UV_EINVAL, h::getsockname); // rejected before any socket was made
            t.validBindStillWorks(h);
        });
        for (int port : new int[] {-1, 65536}) {
            r.add("TCP.bind(HOST, " + port + ")", t -> {
                TCP h = new TCP(t.loop);
                t.iae(BAD_PORT, () -> h.bind(HOST, port));
                t.validBindStillWorks(h);
            });
        }
        r.add("TCP.bind(IPv4 address, IPV6ONLY)", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(Address.of(HOST, 0), TCP.IPV6ONLY));
            t.validBindStillWorks(h);
        });
        r.add("TCP.bind twice", t -> {
            TCP h = new TCP(t.loop);
            h.bind(HOST, 0);
            Address first = h.getsockname();
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(HOST, 0));
            assertEquals(first, h.getsockname(), "still bound to the first address");
            t.listenStillWorks(h);
        });
        r.add("TCP(INET).bind(IPv6 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET);
            t.tcpError(Errno.UV_ENOPROTOOPT, () -> h.bind("::1", 0));
            t.validBindStillWorks(h);
        });
        r.add("TCP(INET6).bind(IPv4 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET6);
            t.tcpError(Errno.UV_EINVAL, () -> h.bind(HOST, 0));
            h.bind("::1", 0);
            t.listenStillWorks(h);
        });

        // ---- TCP.listen
        r.add("TCP.listen(null)", t -> {
            TCP h = new TCP(t.loop);
            h.bind(HOST, 0);
            t.npe(() -> h.listen(null));
            t.npe(() -> h.listen(null, 5));
            t.listenStillWorks(h);
        });
        for (int backlog : new int[] {-1, Integer.MIN_VALUE}) {
            r.add("TCP.listen(cb, " + backlog + ")", t -> {
                TCP h = new TCP(t.loop);
                h.bind(HOST, 0);
                t.iae(BAD_BACKLOG, () -> h.listen(NO_STATUS, backlog));
                t.iae(BAD_BACKLOG, () -> h.listen(null, backlog)); // the backlog is checked first (pyuv-spec §4.4)
                t.listenStillWorks(h);
            });
        }

        // ---- TCP.accept
        r.add("TCP.accept(null)", t -> {
            TCP[] accepted = {null};
            boolean[] rejected = {false};
            TCP srv = t.server((s, e) -> {
                t.npe(() -> s.accept(null));
                rejected[0] = true;
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]); // the connection is still pending: a valid accept takes it
            });
            t.connectionIsAccepted(srv, accepted);
            assertTrue(rejected[0]);
        });
        r.add("TCP.accept with nothing pending", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_EAGAIN, () -> srv.accept(new TCP(t.loop)));
            t.connectionIsAccepted(srv, accepted);
        });
        r.add("TCP.accept on a handle that does not listen", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EAGAIN, () -> h.accept(new TCP(t.loop)));
            t.validBindStillWorks(h);
        });
        r.add("TCP.accept(client of another loop)", t -> {
            try (Loop other = new Loop(t.loop.getTransport())) {
                TCP foreign = new TCP(other);
                TCP[] accepted = {null};
                boolean[] rejected = {false};
                TCP srv = t.server((s, e) -> {
                    t.iae("client belongs to another loop", () -> s.accept(foreign));
                    rejected[0] = true;
                    accepted[0] = new TCP(t.loop);
                    s.accept(accepted[0]);
                });
                t.connectionIsAccepted(srv, accepted);
                assertTrue(rejected[0]);
                foreign.close();
                other.run();
            }
        });
        return r.stream();
    }
}
