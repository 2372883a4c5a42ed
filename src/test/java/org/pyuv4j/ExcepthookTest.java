package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pyuv4j.test.LogCapture;
import org.slf4j.event.Level;

/**
 * pyuv's {@code tests/test_excepthook.py}: 11 cases in 7 classes. pyuv prints its fallbacks to
 * stderr; pyuv4j logs them through SLF4J at ERROR with the exception attached, so the tests assert
 * the logged events (message and exception instance) where pyuv matched stderr.
 *
 * <p>Mapping of pyuv's attribute-lookup cases, which have no Java counterpart:
 * <ul>
 * <li>{@code TestExcepthookMissing} (lookup raises AttributeError, i.e. "no hook"): a Loop subclass
 *     whose {@code excepthook(Throwable)} override just delegates to {@code super}: the default
 *     behaviour must be unchanged;</li>
 * <li>{@code TestExcepthookBadAttr} (the lookup itself raises): a subclass whose
 *     {@code excepthook(Throwable)} throws; pyuv prints "Exception while getting excepthook" + its
 *     error, then "Unhandled exception in callback" + the original; pyuv4j logs "Unhandled exception
 *     in excepthook" + its error, then "Unhandled exception in callback" + the original;</li>
 * <li>{@code TestExcepthookNone}: {@code setExcepthook(null)} after a hook was set.</li>
 * </ul>
 */
@Timeout(60)
class ExcepthookTest {
    private Loop loop;
    private final List<Object[]> calls = new ArrayList<>();
    private RuntimeException hookException;
    private Idle idle;

    /** pyuv's LoopNoExcepthook: nothing overrides the default behaviour. */
    static final class LoopNoExcepthook extends Loop {
        @Override
        public void excepthook(Throwable error) {
            super.excepthook(error);
        }
    }

    /** pyuv's LoopBadAttr: getting to the hook fails. */
    static final class LoopBadAttr extends Loop {
        @Override
        public void excepthook(Throwable error) {
            throw new IllegalStateException("oops");
        }
    }

    /** pyuv's LoopOverride: a subclass overriding the excepthook method. */
    final class LoopOverride extends Loop {
        @Override
        public void excepthook(Throwable error) {
            calls.add(new Object[] {this, error});
            if (hookException != null) {
                throw hookException;
            }
        }
    }

    abstract class ExcepthookTestCase {
        abstract Loop makeLoop();

        @BeforeEach
        void setUp() {
            LogCapture.setQuiet(true);
            calls.clear();
            hookException = null;
            loop = makeLoop();
            LogCapture.clear();
        }

        @AfterEach
        void tearDown() {
            LogCapture.setQuiet(false);
            for (Handle<?> h : loop.getHandles()) {
                if (!h.isClosed()) {
                    h.close();
                }
            }
            loop.run();
            loop.close();
        }

        void excepthookCb(Loop l, Throwable error) {
            calls.add(new Object[] {l, error});
            if (hookException != null) {
                throw hookException;
            }
        }

        void setupIdle(RuntimeException exception) {
            idle = new Idle(loop);
            idle.start(h -> {
                h.stop();
                h.close();
                if (exception != null) {
                    throw exception;
                }
            });
        }

        /** Runs the loop: it must return normally and not alive (the idle closed itself). */
        void runLoop() {
            assertFalse(loop.run());
            assertSame(null, idle.getLoop(), "the idle's close completed");
        }

        /** Asserts the library logged exactly these (message, exception) pairs at ERROR, in order. */
        /** What the library logged since setUp (other libraries' events are ignored). */
        List<LogCapture.Event> libraryEvents() {
            List<LogCapture.Event> events = new ArrayList<>();
            for (LogCapture.Event e : LogCapture.events()) {
                if (e.logger().startsWith("org.pyuv4j")) {
                    events.add(e);
                }
            }
            return events;
        }

        void assertOutput(Object... messageAndError) {
            List<LogCapture.Event> events = libraryEvents();
            assertEquals(messageAndError.length / 2, events.size(), "logged: " + describe(events));
            for (int i = 0; i < events.size(); i++) {
                LogCapture.Event e = events.get(i);
                assertEquals(Level.ERROR, e.level(), describe(events));
                assertEquals(messageAndError[2 * i], e.message(), describe(events));
                assertSame(messageAndError[2 * i + 1], e.error(), describe(events));
            }
        }

        String describe(List<LogCapture.Event> events) {
            StringBuilder sb = new StringBuilder();
            for (LogCapture.Event e : events) {
                sb.append("\n  ").append(e.level()).append(' ').append(e.logger()).append(": ").append(e.message())
                        .append(" / ").append(e.error());
            }
            return sb.toString();
        }
    }

    @Nested
    class TestExcepthookDefault extends ExcepthookTestCase {
        @Override
        Loop makeLoop() {
            return new Loop();
        }

        @Test
        void test_default_method() {
            RuntimeException bad = new RuntimeException("Bad");
            setupIdle(bad);
            runLoop();
            assertOutput("Unhandled exception in callback", bad);
        }
    }

    @Nested
    class TestExcepthookMissing extends TestExcepthookDefault {
        @Override
        Loop makeLoop() {
            return new LoopNoExcepthook();
        }
    }

    @Nested
    class TestExcepthookNone extends TestExcepthookDefault {
        @Override
        Loop makeLoop() {
            Loop l = new Loop();
            l.setExcepthook((x, e) -> calls.add(new Object[] {x, e}));
            l.setExcepthook(null);
            return l;
        }

        @Test
        void hook_not_called_after_reset() {
            setupIdle(new RuntimeException("Bad"));
            runLoop();
            assertEquals(0, calls.size());
        }
    }

    @Nested
    class TestExcepthookBadAttr extends ExcepthookTestCase {
        @Override
        Loop makeLoop() {
            return new LoopBadAttr();
        }

        @Test
        void test_default_method() {
            RuntimeException bad = new RuntimeException("Bad");
            setupIdle(bad);
            runLoop();
            List<LogCapture.Event> events = libraryEvents();
            assertEquals(2, events.size(), describe(events));
            assertEquals(Level.ERROR, events.get(0).level());
            assertEquals("Unhandled exception in excepthook", events.get(0).message());
            assertEquals(IllegalStateException.class, events.get(0).error().getClass());
            assertEquals("oops", events.get(0).error().getMessage());
            assertEquals(Level.ERROR, events.get(1).level());
            assertEquals("Unhandled exception in callback", events.get(1).message());
            assertSame(bad, events.get(1).error());
        }
    }

    @Nested
    class TestExcepthookAttribute extends ExcepthookTestCase {
        @Override
        Loop makeLoop() {
            Loop l = new Loop();
            l.setExcepthook(this::excepthookCb);
            return l;
        }

        @Test
        void test_no_exception() {
            setupIdle(null);
            runLoop();
            assertEquals(0, calls.size());
            assertOutput();
        }

        @Test
        void test_exception() {
            RuntimeException exception = new RuntimeException("Bad");
            setupIdle(exception);
            runLoop();
            assertEquals(1, calls.size());
            assertSame(loop, calls.get(0)[0]);
            assertSame(exception, calls.get(0)[1]);
            assertOutput();
        }

        @Test
        void test_exception_in_hook() {
            RuntimeException exception = new RuntimeException("Bad");
            setupIdle(exception);
            hookException = new IllegalArgumentException("abc");
            runLoop();
            assertEquals(1, calls.size());
            assertOutput("Unhandled exception in excepthook", hookException,
                    "Unhandled exception in callback", exception);
        }
    }

    @Nested
    class TestExcepthookOverride extends TestExcepthookAttribute {
        @Override
        Loop makeLoop() {
            return new LoopOverride();
        }
    }

    @Nested
    class TestExcepthookIgnore extends ExcepthookTestCase {
        @Override
        Loop makeLoop() {
            return new Loop();
        }

        @Test
        void test_ignore_excepthook() {
            setupIdle(new RuntimeException("Boom!"));
            loop.setExcepthook((l, e) -> { });
            runLoop();
            assertOutput();
        }
    }
}
