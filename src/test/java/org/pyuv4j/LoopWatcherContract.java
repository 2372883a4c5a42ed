package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.test.UvTestCase;

/**
 * What {@link Idle}, {@link Prepare} and {@link Check} share (pyuv-spec §7, §12; libuv loop-watcher.c),
 * run by {@link IdleTest}, {@link PrepareTest} and {@link CheckTest}. The loops use NOWAIT (or an
 * idle handle) because a prepare or check handle alone lets the poll block without limit, as in libuv.
 *
 * @param <H> the watcher type
 */
abstract class LoopWatcherContract<H extends LoopWatcher<H>> extends UvTestCase {
    abstract H create(Loop loop);

    @Test
    void runs_once_per_iteration_on_the_loop_thread() {
        H h = create(loop);
        List<Thread> calls = new ArrayList<>();
        h.start(x -> calls.add(Thread.currentThread()));
        assertTrue(h.isActive());
        assertTrue(calls.isEmpty(), "no callback before run()");
        for (int i = 0; i < 3; i++) {
            assertTrue(loop.run(RunMode.NOWAIT));
        }
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread()), calls);
    }

    @Test
    void callbacks_run_in_reverse_start_order() {
        List<String> order = new ArrayList<>();
        H a = create(loop);
        H b = create(loop);
        H c = create(loop);
        a.start(x -> order.add("a"));
        b.start(x -> order.add("b"));
        c.start(x -> order.add("c"));
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("c", "b", "a"), order);
        order.clear();
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("c", "b", "a"), order, "the order is stable across iterations");
    }

    @Test
    void stopped_during_the_phase_is_skipped_and_started_during_the_phase_waits() {
        List<String> order = new ArrayList<>();
        H a = create(loop);
        H b = create(loop);
        H late = create(loop);
        a.start(x -> order.add("a"));
        b.start(x -> {
            order.add("b");
            if (order.size() == 1) {
                a.stop();
                late.start(y -> order.add("late"));
            }
        });
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("b"), order, "a was stopped by b, late started during the phase");
        order.clear();
        a.start(x -> order.add("a"));
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("a", "late", "b"), order);
    }

    @Test
    void closed_during_the_phase_is_skipped() {
        List<String> order = new ArrayList<>();
        H a = create(loop);
        H b = create(loop);
        a.start(x -> order.add("a"));
        b.start(x -> {
            order.add("b");
            a.close();
        });
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("b"), order);
        assertTrue(a.isClosed());
    }

    @Test
    void stop_in_own_callback_and_restart() {
        H h = create(loop);
        int[] calls = {0};
        h.start(x -> {
            calls[0]++;
            x.stop();
            assertFalse(x.isActive());
        });
        assertFalse(loop.run(RunMode.NOWAIT), "a stopped watcher does not keep the loop alive");
        assertEquals(1, calls[0]);
        h.start(x -> {
            calls[0]++;
            x.close();
        });
        // The closing phase comes after idle, prepare and check: the close completes in the same iteration.
        assertFalse(loop.run(RunMode.NOWAIT));
        assertEquals(2, calls[0]);
        assertSame(null, h.getLoop());
    }

    @Test
    void start_on_a_started_handle_only_replaces_the_callback() {
        List<String> order = new ArrayList<>();
        H a = create(loop);
        H b = create(loop);
        a.start(x -> order.add("a1"));
        b.start(x -> order.add("b"));
        a.start(x -> order.add("a2"));
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("b", "a2"), order, "restarting keeps the position and calls once");
    }

    @Test
    void stop_when_not_started_does_nothing() {
        H h = create(loop);
        h.stop();
        assertFalse(h.isActive());
        assertFalse(loop.isAlive());
        h.start(x -> { });
        h.stop();
        h.stop();
        assertFalse(h.isActive());
        assertFalse(loop.run());
    }

    @Test
    void null_callback_is_rejected() {
        H h = create(loop);
        assertThrows(NullPointerException.class, () -> h.start(null));
        assertFalse(h.isActive());
    }

    @Test
    void closed_handle_raises_handle_closed_error() {
        H h = create(loop);
        int[] calls = {0};
        h.start(x -> calls[0]++);
        h.close();
        assertFalse(h.isActive());
        assertThrows(HandleClosedError.class, () -> h.start(x -> { }));
        assertThrows(HandleClosedError.class, h::stop);
        assertFalse(loop.run());
        assertEquals(0, calls[0], "a watcher closed before run() is never called");
        assertSame(null, h.getLoop());
    }

    @Test
    void exception_in_callback_goes_to_the_excepthook_and_the_watcher_stays_started() {
        RuntimeException boom = new RuntimeException("boom");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        H h = create(loop);
        h.start(x -> {
            throw boom;
        });
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of(boom, boom), hooked);
        assertTrue(h.isActive());
    }

    @Test
    void unreferenced_watcher_does_not_keep_the_loop_alive() {
        H h = create(loop);
        int[] calls = {0};
        h.start(x -> calls[0]++);
        h.setRef(false);
        assertFalse(loop.isAlive());
        assertFalse(loop.run());
        assertEquals(0, calls[0], "an empty loop returns without iterating");
    }
}
