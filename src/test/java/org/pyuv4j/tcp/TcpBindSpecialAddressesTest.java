package org.pyuv4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pyuv4j.test.TcpSupport.assertTcpError;

import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;
import org.pyuv4j.Address;
import org.pyuv4j.Errno;
import org.pyuv4j.TCP;
import org.pyuv4j.test.TcpSupport;
import org.pyuv4j.test.UvTestCase;

/**
 * Binding addresses the JDK treats specially, as libuv binds them on Linux (checked with pyuv 1.4):
 * {@code 127.255.255.255} binds and listens (the JDK refuses 127.x.y.255 on an AF_INET socket without
 * asking the kernel; NIO binds it on a dual-stack socket); an IPv4-mapped IPv6 address binds as IPv6
 * ({@code ('::ffff:127.0.0.1', port, 0, 0)}, family AF_INET6) and is {@code UV_EINVAL} with
 * {@link TCP#IPV6ONLY} on every transport (the argument is checked before NIO could say it cannot do
 * IPV6ONLY).
 */
class TcpBindSpecialAddressesTest extends UvTestCase {

    @Test
    void theLoopbackBroadcastAddressBindsAndListens() {
        TCP server = new TCP(loop);
        server.bind("127.255.255.255", 0);
        Address bound = server.getsockname();
        assertEquals("127.255.255.255", bound.host());
        assertEquals(StandardProtocolFamily.INET, server.getFamily());
        server.listen((s, e) -> { });
        assertEquals(bound, server.getsockname());
        // Nothing can connect to a broadcast address: connect(2) says so at once, and libuv raises it
        // from connect() (pyuv 1.4: TCPError(-101, 'network is unreachable')).
        TCP client = new TCP(loop);
        assertTcpError(Errno.UV_ENETUNREACH, () -> client.connect(bound, (c, e) -> { }));
        client.close();
        server.close();
        loop.run();
    }

    @Test
    void anIpv4MappedAddressBindsAsIpv6AndIsEinvalWithIpv6Only() {
        TCP mapped = new TCP(loop);
        mapped.bind("::ffff:127.0.0.1", 0);
        Address local = mapped.getsockname();
        assertEquals("::ffff:127.0.0.1", local.host());
        assertEquals(StandardProtocolFamily.INET6, mapped.getFamily());
        TCP only = new TCP(loop);
        assertTcpError(Errno.UV_EINVAL, () -> only.bind(Address.of("::ffff:127.0.0.1", 0), TCP.IPV6ONLY));
        assertEquals(StandardProtocolFamily.INET6, only.getFamily(), "the socket was made, as libuv's");
        mapped.close();
        only.close();
        loop.run();
    }
}
