package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pyuv4j.error.UVError;
import org.pyuv4j.test.Latches;
import org.pyuv4j.test.UvTestCase;

/**
 * The Loop API of API.md beyond running: construction and transports, the default loop
 * (pyuv-spec §1.1), and {@code close()} (a Java addition).
 */
class LoopLifecycleTest extends UvTestCase {

    // ------------------------------------------------------------------ construction and transports

    @Test
    void new_loop_uses_the_transport_under_test() {
        String expected = System.getProperty("pyuv4j.transport");
        try (Loop l = new Loop()) {
            assertNotNull(l.getTransport());
            if (expected != null && !expected.isBlank()) {
                assertEquals(expected, l.getTransport());
            }
            assertFalse(l.isDefault());
            assertTrue(l.getHandles().isEmpty());
            assertFalse(l.isAlive());
        }
    }

    @Test
    void nio_is_always_available() {
        try (Loop l = new Loop("nio")) {
            assertEquals("nio", l.getTransport());
            Timer t = new Timer(l);
            int[] called = {0};
            t.start(h -> {
                called[0]++;
                h.close();
            }, 0, 0);
            assertFalse(l.run());
            assertEquals(1, called[0]);
        }
    }

    @Test
    void unknown_transport_raises_enotsup_with_a_reason() {
        UVError e = assertThrows(UVError.class, () -> new Loop("nope"));
        assertEquals(Errno.UV_ENOTSUP, e.errno());
        assertEquals("operation not supported on socket", e.getMessage());
        assertNotNull(e.detail());
        assertTrue(e.detail().contains("nope"), e.detail());
        assertTrue(e.toString().contains(e.detail()), "toString shows the detail");
    }

    /**
     * io_uring (pyuv4j-transport-native) runs where the kernel allows it; elsewhere, and where no provider is
     * on the class path (core's own run), {@code UVError(UV_ENOTSUP)} says why.
     */
    @Test
    void io_uring_runs_where_the_kernel_allows_it_else_raises_enotsup_saying_why() {
        Throwable kernelRefusal = ioUringUnavailability();
        boolean provided = classPresent("org.pyuv4j.transport.iouring.IoUringTransport");
        if (provided && kernelRefusal == null) {
            try (Loop l = new Loop("io_uring")) {
                assertEquals("io_uring", l.getTransport());
                Timer t = new Timer(l);
                int[] called = {0};
                t.start(h -> {
                    called[0]++;
                    h.close();
                }, 0, 0);
                assertFalse(l.run());
                assertEquals(1, called[0]);
            }
            return;
        }
        UVError e = assertThrows(UVError.class, () -> new Loop("io_uring"));
        assertEquals(Errno.UV_ENOTSUP, e.errno());
        assertEquals("operation not supported on socket", e.getMessage());
        assertTrue(e.detail().contains("io_uring"), e.detail());
        if (provided) {
            // Netty's reason (IoUring.unavailabilityCause()) is in the message.
            assertTrue(e.detail().contains(String.valueOf(kernelRefusal.getMessage())), e.detail());
        }
    }

    /** With io_uring and epoll both available, {@code new Loop()} (no property) picks epoll. */
    @Test
    void the_default_transport_prefers_epoll_to_io_uring() {
        List<String> usable = new ArrayList<>();
        for (org.pyuv4j.spi.Transport t : org.pyuv4j.internal.Transports.all()) {
            if (t.unavailabilityCause() == null) {
                usable.add(t.name());
            }
        }
        assumeTrue(usable.contains("io_uring") && usable.contains("epoll"), "epoll and io_uring both available: " + usable);
        assertEquals("epoll", usable.get(0), "best first: " + usable);
        assertTrue(usable.indexOf("io_uring") < usable.indexOf("nio"), usable.toString());
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, LoopLifecycleTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Netty's {@code IoUring.unavailabilityCause()}, or a stand-in when Netty's io_uring classes are absent. */
    private static Throwable ioUringUnavailability() {
        try {
            Class<?> c = Class.forName("io.netty.channel.uring.IoUring", true, LoopLifecycleTest.class.getClassLoader());
            return (Throwable) c.getMethod("unavailabilityCause").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return e;
        }
    }

    @Test
    void kqueue_on_linux_raises_enotsup_with_a_reason() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        UVError e = assertThrows(UVError.class, () -> new Loop("kqueue"));
        assertEquals(Errno.UV_ENOTSUP, e.errno());
        assertNotNull(e.detail());
        assertTrue(e.detail().contains("kqueue"), e.detail());
        assertTrue(e.detail().length() > "transport 'kqueue' is not available here: ".length(), "says why: " + e.detail());
    }

    @Test
    void null_transport_is_rejected() {
        assertThrows(NullPointerException.class, () -> new Loop(null));
    }

    /** pyuv's UV_RUN_DEFAULT=0, UV_RUN_ONCE=1, UV_RUN_NOWAIT=2. */
    @Test
    void run_modes_match_pyuv() {
        assertEquals(List.of(RunMode.DEFAULT, RunMode.ONCE, RunMode.NOWAIT), List.of(RunMode.values()));
        assertEquals(0, RunMode.DEFAULT.ordinal());
        assertEquals(1, RunMode.ONCE.ordinal());
        assertEquals(2, RunMode.NOWAIT.ordinal());
    }

    /** pyuv-spec §1.6: pyuv has no walk(); handles are listed by getHandles(). */
    @Test
    void loop_has_no_walk() {
        for (java.lang.reflect.Method m : Loop.class.getMethods()) {
            assertFalse(m.getName().equals("walk"), m.toString());
        }
    }

    // ------------------------------------------------------------------ default loop (§1.1)

    @Test
    void default_loop_is_a_process_wide_singleton() throws InterruptedException {
        Loop d = Loop.defaultLoop();
        try {
            assertSame(d, Loop.defaultLoop());
            assertTrue(d.isDefault());
            assertFalse(loop.isDefault());
            AtomicReference<Loop> fromThread = new AtomicReference<>();
            Thread t = new Thread(() -> fromThread.set(Loop.defaultLoop()), "other");
            t.start();
            t.join();
            assertSame(d, fromThread.get());
        } finally {
            d.close();
        }
        assertFalse(d.isDefault(), "a closed default loop is no longer the default");
        Loop next = Loop.defaultLoop();
        try {
            assertNotSame(d, next);
            assertTrue(next.isDefault());
        } finally {
            next.close();
        }
    }

    @Test
    void concurrent_first_calls_create_one_default_loop() throws InterruptedException {
        int n = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Loop> got = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                Latches.await(go);
                got.add(Loop.defaultLoop());
            }, "default-" + i);
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        try {
            assertEquals(n, got.size());
            for (Loop l : got) {
                assertSame(got.get(0), l);
            }
        } finally {
            got.get(0).close();
        }
    }

    // ------------------------------------------------------------------ close (Java addition)

    @Test
    void close_raises_ebusy_while_handles_are_open() {
        Loop l = new Loop();
        Timer t = new Timer(l);
        UVError e = assertThrows(UVError.class, l::close);
        assertEquals(Errno.UV_EBUSY, e.errno());
        assertEquals("resource busy or locked", e.getMessage());
        t.close();
        UVError closing = assertThrows(UVError.class, l::close, "a closing handle is still open");
        assertEquals(Errno.UV_EBUSY, closing.errno());
        assertFalse(l.run());
        l.close();
        l.close(); // idempotent
    }

    @Test
    void close_raises_ebusy_while_work_is_in_flight() {
        Loop l = new Loop();
        CountDownLatch release = new CountDownLatch(1);
        l.queueWork(() -> Latches.await(release));
        UVError e = assertThrows(UVError.class, l::close);
        assertEquals(Errno.UV_EBUSY, e.errno());
        release.countDown();
        assertFalse(l.run());
        l.close();
    }

    @Test
    void a_closed_loop_rejects_further_use() {
        Loop l = new Loop();
        l.close();
        assertThrows(IllegalStateException.class, l::run);
        assertThrows(IllegalStateException.class, () -> new Timer(l));
        assertThrows(IllegalStateException.class, () -> l.queueWork(() -> { }));
        assertThrows(IllegalStateException.class, () -> l.execute(() -> { }));
        l.stop(); // harmless
        assertTrue(l.getHandles().isEmpty());
        assertFalse(l.isAlive());
    }

    @Test
    void close_from_a_callback_is_rejected() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(h -> {
            h.close();
            try {
                loop.close();
            } catch (Throwable e) {
                error.set(e);
            }
        }, 0, 0);
        loop.run();
        assertTrue(error.get() instanceof IllegalStateException || error.get() instanceof UVError,
                String.valueOf(error.get()));
    }

    @Test
    void close_after_running_releases_the_loop() {
        Loop l = new Loop();
        Idle idle = new Idle(l);
        idle.start(h -> h.close());
        assertFalse(l.run());
        l.close();
        assertThrows(IllegalStateException.class, l::run);
    }
}
