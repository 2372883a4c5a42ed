package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Bad input to {@code TCP.connect}: nulls, host names, ports, while connecting, family mismatches,
 * on a listener (see BadInputTestCase).
 */
class BadInputTcpConnectTest extends BadInputTestCase<BadInputTcpConnectTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputTcpConnectTest> r = new Rows<>();

        // ---- TCP.connect
        r.add("TCP.connect(null, cb)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.connect((Address) null, NO_STATUS));
            t.npe(() -> h.connect(null, 1, NO_STATUS));
            t.validConnectStillWorks(h);
        });
        r.add("TCP.connect(address, null)", t -> {
            TCP h = new TCP(t.loop);
            t.npe(() -> h.connect(Address.of(HOST, 1), null));
            t.npe(() -> h.connect(HOST, 1, null));
            t.validConnectStillWorks(h);
        });
        r.add("TCP.connect(\"localhost\", port, cb)", t -> {
            TCP h = new TCP(t.loop);
            t.iae(INVALID_IP, () -> h.connect("localhost", 1, NO_STATUS));
            t.validConnectStillWorks(h);
        });
        for (int port : new int[] {-1, 65536}) {
            r.add("TCP.connect(HOST, " + port + ", cb)", t -> {
                TCP h = new TCP(t.loop);
                t.iae(BAD_PORT, () -> h.connect(HOST, port, NO_STATUS));
                t.validConnectStillWorks(h);
            });
        }
        r.add("TCP.connect while connecting", t -> {
            TCP srv = t.server((s, e) -> s.accept(new TCP(t.loop)));
            TCP h = new TCP(t.loop);
            Integer[] first = {Errno.UV_EOF};
            h.connect(srv.getsockname(), (x, e) -> first[0] = e == null ? 0 : e);
            t.tcpError(Errno.UV_EALREADY, () -> h.connect(srv.getsockname(), (x, e) -> t.ev("second connect callback")));
            t.runUntil("the first connect", () -> first[0] != Errno.UV_EOF);
            assertEquals(0, first[0], "the first connect completes");
            assertEquals(List.of(), t.events, "the rejected connect has no callback");
        });
        r.add("TCP(INET).connect(IPv6 address)", t -> {
            TCP h = new TCP(t.loop, StandardProtocolFamily.INET);
            t.tcpError(Errno.UV_EAFNOSUPPORT, () -> h.connect("::1", 1, NO_STATUS));
            t.validConnectStillWorks(h);
        });
        r.add("TCP.connect on a listening handle", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_EISCONN, () -> srv.connect(HOST, 1, NO_STATUS));
            t.connectionIsAccepted(srv, accepted);
        });
        return r.stream();
    }
}
