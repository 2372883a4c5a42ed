package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;

/**
 * Bad input to the TCP options and names: keepalive delays, buffer sizes without a socket or
 * negative, {@code open}/{@code fileno} without a valid descriptor, names without a socket or a peer
 * (see BadInputTestCase).
 */
class BadInputTcpOptionsTest extends BadInputTestCase<BadInputTcpOptionsTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputTcpOptionsTest> r = new Rows<>();

        // ---- TCP options and names
        for (int delay : new int[] {0, -1, 32768, Integer.MIN_VALUE}) {
            r.add("TCP.keepalive(true, " + delay + ")", t -> {
                TCP c = t.connected();
                t.tcpError(Errno.UV_EINVAL, () -> c.keepalive(true, delay));
                c.keepalive(true, 10);
                c.keepalive(false, delay); // disabling ignores the delay
                t.validWriteStillWorks();
            });
        }
        r.add("TCP buffer sizes without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EBADF, h::getSendBufferSize);
            t.tcpError(Errno.UV_EBADF, h::getReceiveBufferSize);
            t.tcpError(Errno.UV_EBADF, () -> h.setSendBufferSize(65536));
            t.tcpError(Errno.UV_EBADF, () -> h.setReceiveBufferSize(65536));
            t.validBindStillWorks(h);
        });
        r.add("TCP.setSendBufferSize(negative)", t -> {
            TCP c = t.connected();
            c.setSendBufferSize(-5); // pyuv-spec §4.12: wraps to a huge value, the kernel clamps it
            c.setReceiveBufferSize(Integer.MIN_VALUE);
            assertTrue(c.getSendBufferSize() > 0 && c.getReceiveBufferSize() > 0);
            t.validWriteStillWorks();
        });
        for (int fd : new int[] {-1, 99999}) {
            r.add("TCP.open(" + fd + ")", t -> {
                TCP h = new TCP(t.loop);
                t.tcpError(t.nativeTransport() ? Errno.UV_EBADF : Errno.UV_ENOTSUP, () -> h.open(fd));
                t.validBindStillWorks(h);
            });
        }
        r.add("TCP.fileno without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(t.nativeTransport() ? Errno.UV_EBADF : Errno.UV_ENOTSUP, h::fileno);
            t.validBindStillWorks(h);
        });
        r.add("TCP names without a socket", t -> {
            TCP h = new TCP(t.loop);
            t.tcpError(Errno.UV_EINVAL, h::getsockname);
            t.tcpError(Errno.UV_EINVAL, h::getpeername);
            t.tcpError(Errno.UV_EINVAL, h::getFamily);
            t.validBindStillWorks(h);
        });
        r.add("TCP.getpeername on a listener", t -> {
            TCP[] accepted = {null};
            TCP srv = t.server((s, e) -> {
                accepted[0] = new TCP(t.loop);
                s.accept(accepted[0]);
            });
            t.tcpError(Errno.UV_ENOTCONN, srv::getpeername);
            t.connectionIsAccepted(srv, accepted);
        });
        return r.stream();
    }
}
