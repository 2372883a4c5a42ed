package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pyuv4j.error.HandleClosedError;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.UVError;
import org.pyuv4j.test.UvTestCase;

/**
 * pyuv-spec §1.6, §1.10, §2.2, §2.3 and §12 for the handle base: close semantics, the close
 * callback, {@code getLoop()}, {@code isClosed()}, references and {@code Loop.getHandles()}.
 */
class HandleTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

    // ------------------------------------------------------------------ close (§2.2)

    @Test
    void close_callback_is_asynchronous_and_gets_the_handle() {
        Timer t = new Timer(loop);
        List<Timer> got = new ArrayList<>();
        t.close(got::add);
        assertEquals(List.of(), got, "never inside close()");
        assertFalse(loop.run());
        assertEquals(List.of(t), got);
    }

    @Test
    void close_callbacks_run_lifo() {
        List<Integer> calls = new ArrayList<>();
        Timer[] timers = new Timer[3];
        for (int i = 0; i < 3; i++) {
            timers[i] = new Timer(loop);
        }
        for (int i = 0; i < 3; i++) {
            int id = i;
            timers[i].close(h -> calls.add(id));
        }
        loop.run();
        assertEquals(List.of(2, 1, 0), calls);
    }

    @Test
    void close_callbacks_of_mixed_handles_run_lifo() {
        Timer timer = new Timer(loop);
        Idle idle = new Idle(loop);
        Async async = new Async(loop, null);
        Check check = new Check(loop);
        TCP tcp = new TCP(loop);
        idle.start(h -> { });
        check.start(h -> { });
        timer.close(h -> order.add("timer"));
        idle.close(h -> order.add("idle"));
        async.close(h -> order.add("async"));
        tcp.close(h -> order.add("tcp"));
        check.close(h -> order.add("check"));
        assertFalse(loop.run());
        assertEquals(List.of("check", "tcp", "async", "idle", "timer"), order);
    }

    @Test
    void close_twice_raises_handle_closed_error() {
        Timer t = new Timer(loop);
        t.close();
        HandleClosedError e = assertThrows(HandleClosedError.class, t::close);
        assertEquals("Handle is closing/closed", e.getMessage());
        assertEquals(0, e.errno());
        assertTrue(e instanceof HandleError);
        assertTrue(e instanceof UVError);
        assertThrows(HandleClosedError.class, () -> t.close(h -> order.add("second")));
        loop.run();
        // Still raises after the close completed.
        assertThrows(HandleClosedError.class, t::close);
        assertEquals(List.of(), order, "the rejected close's callback never runs");
    }

    @Test
    void close_without_callback_and_with_null_callback() {
        Timer a = new Timer(loop);
        Timer b = new Timer(loop);
        a.close();
        b.close(null);
        assertTrue(loop.isAlive());
        assertFalse(loop.run());
        assertNull(a.getLoop());
        assertNull(b.getLoop());
    }

    @Test
    void is_closed_from_the_close_call_on() {
        Timer t = new Timer(loop);
        assertFalse(t.isClosed());
        t.start(h -> { }, 10, 0);
        assertTrue(t.isActive());
        t.close(h -> {
            assertTrue(h.isClosed());
            order.add("cb");
        });
        assertTrue(t.isClosed(), "closing counts as closed");
        assertFalse(t.isActive(), "closing stops the handle");
        loop.run();
        assertTrue(t.isClosed());
        assertEquals(List.of("cb"), order);
    }

    @Test
    void get_loop_is_null_only_after_the_close_callback() {
        Timer t = new Timer(loop);
        assertSame(loop, t.getLoop());
        t.close(h -> {
            assertSame(loop, h.getLoop(), "still set during the close callback");
            order.add("cb");
        });
        assertSame(loop, t.getLoop(), "still set while closing");
        loop.run();
        assertEquals(List.of("cb"), order);
        assertNull(t.getLoop());
    }

    @Test
    void get_loop_is_null_after_a_close_without_callback() {
        Timer t = new Timer(loop);
        t.close();
        loop.run();
        assertNull(t.getLoop());
    }

    @Test
    void close_from_a_callback_of_the_same_handle() {
        Timer t = new Timer(loop);
        t.start(h -> {
            order.add("timer");
            h.close(x -> order.add("closed"));
            assertTrue(h.isClosed());
        }, 0, 0.001);
        assertFalse(loop.run());
        assertEquals(List.of("timer", "closed"), order);
    }

    @Test
    void exception_in_a_close_callback_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        Timer a = new Timer(loop);
        Timer b = new Timer(loop);
        a.close(h -> order.add("a"));
        b.close(h -> {
            throw boom;
        });
        assertFalse(loop.run());
        assertEquals(List.of(boom), hooked);
        assertEquals(List.of("a"), order, "the other close callback still ran");
        assertNull(b.getLoop());
    }

    @Test
    void constructor_validates_the_loop() {
        assertThrows(NullPointerException.class, () -> new Timer(null));
        assertThrows(NullPointerException.class, () -> new Idle(null));
        assertThrows(NullPointerException.class, () -> new Async(null, null));
    }

    // ------------------------------------------------------------------ ref (§1.10, §2.3, §12)

    @Test
    void handles_are_referenced_by_default() {
        assertTrue(new Timer(loop).isRef());
        assertTrue(new Idle(loop).isRef());
        assertTrue(new Async(loop, null).isRef());
        assertTrue(new TCP(loop).isRef());
    }

    @Test
    void unreferenced_active_timer_does_not_keep_the_loop_alive() {
        Timer t = new Timer(loop);
        t.start(h -> order.add("timer"), 0.01, 0);
        t.setRef(false);
        assertTrue(t.isActive());
        assertFalse(t.isRef());
        assertFalse(loop.run());
        assertEquals(List.of(), order);
        t.setRef(true);
        assertFalse(loop.run());
        assertEquals(List.of("timer"), order);
    }

    @Test
    void ref_changes_are_idempotent() {
        Timer unref = new Timer(loop);
        unref.start(h -> order.add("unref"), 10, 0);
        unref.setRef(false);
        unref.setRef(false);
        Timer ref = new Timer(loop);
        ref.start(h -> order.add("ref"), 0.01, 0);
        ref.setRef(true);
        ref.setRef(true);
        // Exactly one referenced active handle: the run ends when "ref" fires, not at once and not after 10 s.
        assertTrue(loop.isAlive());
        assertFalse(loop.run());
        assertEquals(List.of("ref"), order);
        assertFalse(loop.isAlive());
    }

    @Test
    void ref_on_an_inactive_handle_counts_once_it_starts() {
        Timer t = new Timer(loop);
        t.setRef(false);
        t.start(h -> order.add("timer"), 0.001, 0);
        assertFalse(loop.isAlive());
        t.setRef(true);
        assertTrue(loop.isAlive());
        t.stop();
        assertFalse(loop.isAlive());
        t.setRef(false);
        t.setRef(true);
        assertFalse(loop.isAlive(), "ref on a stopped handle does not make the loop alive");
        assertFalse(loop.run());
    }

    @Test
    void set_ref_is_allowed_on_closed_handles() {
        Timer t = new Timer(loop);
        t.start(h -> { }, 10, 0);
        t.close();
        t.setRef(false);
        assertFalse(t.isRef());
        t.setRef(true);
        assertTrue(t.isRef());
        loop.run();
        t.setRef(false);
        t.setRef(true);
        assertFalse(loop.isAlive());
    }

    /** pyuv-spec §12: ref still reads True while closing and False from the close callback on. */
    @Test
    void is_ref_is_true_while_closing_and_false_from_the_close_callback_on() {
        Timer t = new Timer(loop);
        List<Boolean> inCallback = new ArrayList<>();
        t.close(h -> inCallback.add(h.isRef()));
        assertTrue(t.isRef());
        loop.run();
        assertEquals(List.of(false), inCallback);
        assertFalse(t.isRef());
    }

    @Test
    void closing_an_unreferenced_handle_still_runs_its_close_callback() {
        Timer t = new Timer(loop);
        t.setRef(false);
        t.close(h -> order.add("closed"));
        assertTrue(loop.isAlive(), "closing handles keep the loop alive");
        assertFalse(loop.run());
        assertEquals(List.of("closed"), order);
    }

    // ------------------------------------------------------------------ handles (§1.6, §12)

    @Test
    void get_handles_lists_every_open_handle_in_creation_order() {
        Timer timer = new Timer(loop);
        Idle idle = new Idle(loop);
        Async async = new Async(loop, null);
        TCP tcp = new TCP(loop);
        assertEquals(List.of(timer, idle, async, tcp), loop.getHandles());
    }

    @Test
    void get_handles_returns_a_fresh_list() {
        Timer timer = new Timer(loop);
        List<Handle<?>> first = loop.getHandles();
        first.clear();
        assertEquals(List.of(timer), loop.getHandles());
        assertTrue(loop.getHandles() != loop.getHandles());
    }

    @Test
    void get_handles_includes_closing_handles_until_their_callback() {
        Timer a = new Timer(loop);
        Timer b = new Timer(loop);
        List<List<Handle<?>>> seen = new ArrayList<>();
        a.close(h -> seen.add(loop.getHandles()));
        b.close(h -> seen.add(loop.getHandles()));
        assertEquals(List.of(a, b), loop.getHandles(), "closing handles are listed");
        loop.run();
        // LIFO: b's callback first; a is still closing then. Neither is listed during its own callback.
        assertEquals(List.of(List.of(a), List.of()), seen);
        assertEquals(List.of(), loop.getHandles());
    }

    @Test
    void handles_of_different_loops_are_independent() {
        try (Loop other = new Loop()) {
            Timer mine = new Timer(loop);
            Timer theirs = new Timer(other);
            assertEquals(List.of(mine), loop.getHandles());
            assertEquals(List.of(theirs), other.getHandles());
            theirs.start(h -> order.add("theirs"), 0, 0);
            assertFalse(loop.run());
            assertEquals(List.of(), order);
            assertFalse(other.run());
            assertEquals(List.of("theirs"), order);
            theirs.close();
            other.run();
        }
    }
}
