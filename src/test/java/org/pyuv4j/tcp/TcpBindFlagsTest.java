package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import org.junit.jupiter.api.Test;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code bind} flags: {@link TCP#REUSEPORT} (libuv 1.49's {@code UV_TCP_REUSEPORT}) lets several
 * handles bind and listen on one address (Linux here; macOS answers {@code UV_ENOTSUP}, as libuv);
 * a handle bound without it on such a port gets libuv's deferred {@code UV_EADDRINUSE}; unknown bits
 * are {@code UV_EINVAL} (libuv 1.49 checks them; pyuv 1.4's libuv ignored them, see COMPATIBILITY.md);
 * REUSEPORT combines with IPV6ONLY.
 */
class TcpBindFlagsTest extends UvTestCase {

    @Test
    void reusePortLetsSeveralHandlesListenOnOneAddress() {
        TCP first = new TCP(loop);
        first.bind(Address.of(HOST, 0), TCP.REUSEPORT);
        first.listen((s, e) -> { });
        Address address = first.getsockname();
        TCP second = new TCP(loop);
        second.bind(address, TCP.REUSEPORT);
        second.listen((s, e) -> { });
        assertEquals(address, second.getsockname());
        TCP plain = new TCP(loop);
        plain.bind(address); // no error yet: libuv defers EADDRINUSE
        assertTcpError(Errno.UV_EADDRINUSE, plain::getsockname);
        assertTcpError(Errno.UV_EADDRINUSE, () -> plain.listen((s, e) -> { }));
        first.close();
        second.close();
        plain.close();
        loop.run();
    }

    @Test
    void reusePortCombinesWithIpv6Only() {
        TCP a = new TCP(loop);
        TCP b = new TCP(loop);
        if (!nativeTransport()) {
            assertTcpError(Errno.UV_ENOTSUP, () -> a.bind(Address.of("::1", 0), TCP.REUSEPORT | TCP.IPV6ONLY));
        } else {
            a.bind(Address.of("::1", 0), TCP.REUSEPORT | TCP.IPV6ONLY);
            a.listen((s, e) -> { });
            b.bind(a.getsockname(), TCP.REUSEPORT | TCP.IPV6ONLY);
            b.listen((s, e) -> { });
            assertEquals(a.getsockname(), b.getsockname());
        }
        a.close();
        b.close();
        loop.run();
    }

    @Test
    void unknownFlagBitsAreEinvalBeforeAnySocketIsMade() {
        TCP t = new TCP(loop);
        for (int flags : new int[] {4, 8, 1 << 30, -1, TCP.REUSEPORT | 4}) {
            assertTcpError(Errno.UV_EINVAL, () -> t.bind(Address.of(HOST, 0), flags));
        }
        assertTcpError(Errno.UV_EINVAL, t::getFamily); // still no socket
        t.bind(Address.of(HOST, 0), TCP.REUSEPORT); // and the handle works
        t.close();
        loop.run();
    }
}
