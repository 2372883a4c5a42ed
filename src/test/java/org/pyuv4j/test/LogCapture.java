package org.pyuv4j.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The tests' SLF4J binding (test scope only): records INFO and above so that tests can assert what
 * the library logs (excepthook fallbacks, timer warnings), and prints WARN and above to stderr.
 */
public final class LogCapture implements SLF4JServiceProvider {
    /** One logged event. */
    public record Event(Level level, String logger, String message, Throwable error) {
    }

    private static final List<Event> EVENTS = new ArrayList<>();
    private static volatile boolean quiet;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, CapturingLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Forgets recorded events. */
    public static void clear() {
        synchronized (EVENTS) {
            EVENTS.clear();
        }
    }

    /** @return the events recorded since {@link #clear()} */
    public static List<Event> events() {
        synchronized (EVENTS) {
            return new ArrayList<>(EVENTS);
        }
    }

    /** Stops echoing to stderr (for tests that provoke errors on purpose). */
    public static void setQuiet(boolean q) {
        quiet = q;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable error) {
            String message = MessageFormatter.basicArrayFormat(pattern, args);
            synchronized (EVENTS) {
                EVENTS.add(new Event(level, name, message, error));
            }
            if (!quiet && level.toInt() >= Level.WARN.toInt()) {
                System.err.println("[" + level + "] " + name + ": " + message);
                if (error != null) {
                    error.printStackTrace(System.err);
                }
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
