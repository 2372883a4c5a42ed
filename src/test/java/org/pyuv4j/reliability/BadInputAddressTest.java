package org.pyuv4j.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Address;

/**
 * Bad addresses: null and invalid IP strings, ports and flowinfo out of range, for {@code Address.of}
 * and so for every call taking a host string (see BadInputTestCase).
 */
class BadInputAddressTest extends BadInputTestCase<BadInputAddressTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputAddressTest> r = new Rows<>();

        // ---- Address (and every call taking a host string)
        r.add("Address.of(null, 80)", t -> t.npe(() -> Address.of(null, 80)));
        for (String bad : List.of("localhost", "example.com", "1.2.3", "256.0.0.1", "1.2.3.4.5", "01.2.3.4", " 127.0.0.1",
                "127.0.0.1 ", "::g", ":::", "[::1]", "1.2.3.4:80", "127.0.0.1\0")) {
            r.add("Address.of(\"" + bad.replace("\0", "\\0") + "\", 80)", t -> t.iae(INVALID_IP, () -> Address.of(bad, 80)));
        }
        for (int port : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            r.add("Address.of(HOST, " + port + ")", t -> t.iae(BAD_PORT, () -> Address.of(HOST, port)));
        }
        for (int flowinfo : new int[] {-1, 0x100000}) {
            r.add("Address.of(\"::1\", 0, " + flowinfo + ", 0)",
                    t -> t.iae(BAD_FLOWINFO, () -> Address.of("::1", 0, flowinfo, 0)));
        }
        return r.stream();
    }
}
