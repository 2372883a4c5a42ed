package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.Gc;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv's {@code tests/test_gc.py}, adapted. pyuv handles take arbitrary attributes and a cycle
 * handle ↔ user object is collectable. In Java, user data lives in a subclass field (TCP is
 * subclassable) and the cycle is built through it. Java has no GC-driven close, so the handle must be
 * closed first; after that, the loop holds neither the handle nor the user object.
 */
class GcTest extends UvTestCase {

    static final class Foo {
        Object handle;
    }

    static final class TCPWithData extends TCP {
        Foo foo;

        TCPWithData(Loop loop) {
            super(loop);
        }
    }

    @Test
    void test_gc() {
        WeakReference<?>[] refs = makeCycleAndClose();
        assertNotNull(refs[0].get(), "the loop holds the handle until its close callback ran");
        loop.run();
        Gc.collectUntil(() -> refs[0].get() == null && refs[1].get() == null);
        assertNull(refs[0].get(), "handle still reachable");
        assertNull(refs[1].get(), "user data still reachable");
    }

    @Test
    void handle_subclass_carries_user_data_into_callbacks() {
        TCPWithData tcp = new TCPWithData(loop);
        tcp.foo = new Foo();
        tcp.foo.handle = tcp;
        Object[] seen = {null};
        tcp.close(h -> seen[0] = ((TCPWithData) h).foo);
        loop.run();
        assertSame(tcp.foo, seen[0]);
        assertEquals(0, loop.getHandles().size());
    }

    /** Kept out of the test's frame so that only the loop can hold the objects. */
    private WeakReference<?>[] makeCycleAndClose() {
        TCPWithData tcp = new TCPWithData(loop);
        Foo foo = new Foo();
        foo.handle = tcp;
        tcp.foo = foo;
        tcp.close();
        return new WeakReference<?>[] {new WeakReference<>(tcp), new WeakReference<>(foo)};
    }
}
