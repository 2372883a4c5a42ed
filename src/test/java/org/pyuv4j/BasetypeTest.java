package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv's {@code tests/test_basetype.py}, adapted: pyuv lets Python subclass every handle type; the
 * Java API (API.md) keeps {@link Loop} and {@link TCP} subclassable and makes Timer, Async, Idle,
 * Prepare and Check final, so for those the test checks that they are final and constructible.
 * {@link Handle} and {@link Stream} cannot be subclassed outside the library, as in pyuv (no
 * BASETYPE flag). UDP, Poll, Pipe, Process, Signal, FSPoll and pyuv.thread do not exist in pyuv4j.
 */
class BasetypeTest extends UvTestCase {

    static class DerivedLoop extends Loop {
    }

    static class DerivedTCP extends TCP {
        DerivedTCP(Loop loop) {
            super(loop);
        }
    }

    @Test
    void test_inherit_loop() {
        assertNotSame(Loop.class, DerivedLoop.class);
        assertTrue(Loop.class.isAssignableFrom(DerivedLoop.class));
        try (DerivedLoop derived = new DerivedLoop()) {
            assertTrue(derived instanceof Loop);
            // Fully initialised: it runs and has no handles.
            assertFalse(derived.run());
            assertTrue(derived.getHandles().isEmpty());
            assertFalse(derived.isDefault());
            Timer t = new Timer(derived);
            int[] called = {0};
            t.start(h -> {
                called[0]++;
                h.close();
            }, 0, 0);
            assertFalse(derived.run());
            assertEquals(1, called[0]);
        }
    }

    @Test
    void test_inherit_tcp() {
        assertNotSame(TCP.class, DerivedTCP.class);
        assertTrue(TCP.class.isAssignableFrom(DerivedTCP.class));
        DerivedTCP derived = new DerivedTCP(loop);
        assertTrue(derived instanceof TCP);
        assertTrue(derived instanceof Stream);
        // Fully initialised: listed by the loop, open, and the loop is its loop.
        assertTrue(loop.getHandles().contains(derived));
        assertFalse(derived.isClosed());
        assertFalse(derived.isActive());
        assertTrue(derived.isRef());
        assertSame(loop, derived.getLoop());
        DerivedTCP[] closed = {null};
        derived.close(h -> closed[0] = (DerivedTCP) h);
        loop.run();
        assertSame(derived, closed[0]);
    }

    @Test
    void test_inherit_timer() {
        assertFinalAndConstructible(Timer.class, new Timer(loop));
    }

    @Test
    void test_inherit_async() {
        assertFinalAndConstructible(Async.class, new Async(loop, h -> { }));
    }

    @Test
    void test_inherit_prepare() {
        assertFinalAndConstructible(Prepare.class, new Prepare(loop));
    }

    @Test
    void test_inherit_idle() {
        assertFinalAndConstructible(Idle.class, new Idle(loop));
    }

    @Test
    void test_inherit_check() {
        assertFinalAndConstructible(Check.class, new Check(loop));
    }

    @Test
    void handle_and_stream_are_not_subclassable_outside_the_library() {
        for (Class<?> c : new Class<?>[] {Handle.class, Stream.class}) {
            assertTrue(Modifier.isAbstract(c.getModifiers()), c + " abstract");
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                int m = k.getModifiers();
                assertFalse(Modifier.isPublic(m) || Modifier.isProtected(m), k + " must be package-private");
            }
        }
        assertFalse(Modifier.isFinal(Loop.class.getModifiers()));
        assertFalse(Modifier.isFinal(TCP.class.getModifiers()));
    }

    private void assertFinalAndConstructible(Class<?> type, Handle<?> instance) {
        assertTrue(Modifier.isFinal(type.getModifiers()), type + " is final per API.md");
        assertSame(type, instance.getClass());
        assertTrue(loop.getHandles().contains(instance));
        assertFalse(instance.isClosed());
        assertSame(loop, instance.getLoop());
    }
}
