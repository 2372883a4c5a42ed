package org.pyuv4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pyuv4j.Async;
import org.pyuv4j.Check;
import org.pyuv4j.Errno;
import org.pyuv4j.Idle;
import org.pyuv4j.Loop;
import org.pyuv4j.Prepare;
import org.pyuv4j.TCP;
import org.pyuv4j.Timer;
import org.pyuv4j.error.UVError;

/**
 * Bad input to the loop ({@code new Loop}, {@code run}, {@code queueWork}, {@code execute}) and to the
 * handle constructors: null loops, an unknown transport, the UNIX family (see BadInputTestCase).
 */
class BadInputLoopTest extends BadInputTestCase<BadInputLoopTest> {
    static Stream<Arguments> rows() {
        Rows<BadInputLoopTest> r = new Rows<>();

        // ---- Loop
        r.add("new Loop(null)", t -> t.npe(() -> new Loop(null)));
        r.add("new Loop(\"bogus\")", t -> {
            UVError e = t.rejects(UVError.class, () -> new Loop("bogus"));
            assertEquals(Errno.UV_ENOTSUP, e.errno());
            assertEquals(Errno.strerror(Errno.UV_ENOTSUP), e.getMessage());
        });
        r.add("Loop.run(null)", t -> {
            t.npe(() -> t.loop.run(null));
            t.loopStillRuns();
        });
        r.add("Loop.queueWork(null)", t -> {
            t.npe(() -> t.loop.queueWork(null));
            t.npe(() -> t.loop.queueWork(null, e -> { }));
            boolean[] done = {false};
            t.loop.queueWork(() -> { }, e -> done[0] = true);
            t.runUntil("valid work", () -> done[0]);
        });
        r.add("Loop.execute(null)", t -> {
            t.npe(() -> t.loop.execute(null));
            t.loopStillRuns();
        });

        // ---- constructors
        r.add("new TCP(null)", t -> t.npe(() -> new TCP(null)));
        r.add("new TCP(null, INET)", t -> t.npe(() -> new TCP(null, StandardProtocolFamily.INET)));
        r.add("new Timer(null)", t -> t.npe(() -> new Timer(null)));
        r.add("new Async(null, cb)", t -> t.npe(() -> new Async(null, a -> { })));
        r.add("new Idle(null)", t -> t.npe(() -> new Idle(null)));
        r.add("new Prepare(null)", t -> t.npe(() -> new Prepare(null)));
        r.add("new Check(null)", t -> t.npe(() -> new Check(null)));
        r.add("new TCP(loop, UNIX)", t -> {
            int before = t.handles();
            t.tcpError(Errno.UV_EINVAL, () -> new TCP(t.loop, StandardProtocolFamily.UNIX));
            assertEquals(before, t.handles(), "a failed constructor leaves no handle behind");
            t.validBindStillWorks(new TCP(t.loop));
        });
        return r.stream();
    }
}
