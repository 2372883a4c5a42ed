package org.pyuv4j.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.nio.NioTransport;
import org.pyuv4j.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds transports: NIO built in, others through {@link ServiceLoader}. Internal.
 */
public final class Transports {
    /** System property naming the transport {@code new Loop()} uses. */
    public static final String PROPERTY = "pyuv4j.transport";
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);
    private static volatile List<Transport> all;

    private Transports() {
    }

    /** {@return every known transport, available or not, best first} */
    public static List<Transport> all() {
        List<Transport> list = all;
        if (list == null) {
            synchronized (Transports.class) {
                list = all;
                if (list == null) {
                    list = load();
                    all = list;
                }
            }
        }
        return list;
    }

    private static List<Transport> load() {
        List<Transport> list = new ArrayList<>();
        list.add(new NioTransport());
        ServiceLoader<Transport> loader = ServiceLoader.load(Transport.class, Transports.class.getClassLoader());
        var it = loader.iterator();
        for (;;) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.debug("pyuv4j: skipping a transport provider that failed to load", e);
            }
        }
        list.sort(Comparator.comparingInt(Transport::priority).reversed());
        return Collections.unmodifiableList(list);
    }

    /**
     * Finds the transport {@code name} names, if it can run here.
     *
     * @param name a transport name
     * @return that transport
     * @throws UVError {@code UV_ENOTSUP} when it is unknown or unavailable here, with the reason as detail
     */
    public static Transport select(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (Transport t : all()) {
            names.add(t.name());
            if (t.name().equals(wanted)) {
                Throwable cause = t.unavailabilityCause();
                if (cause != null) {
                    throw new UVError(Errno.UV_ENOTSUP, "transport '" + wanted + "' is not available here: " + cause, cause);
                }
                return t;
            }
        }
        throw new UVError(Errno.UV_ENOTSUP, "transport '" + wanted + "' is not available here: no provider on the class path"
                + " (known: " + names + "; epoll, io_uring and kqueue come with pyuv4j-transport-native)");
    }

    /** {@return the transport named by {@value #PROPERTY}, else the best available one} */
    public static Transport selectDefault() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return select(forced);
        }
        for (Transport t : all()) {
            if (t.unavailabilityCause() == null) {
                return t;
            }
        }
        throw new UVError(Errno.UV_ENOTSUP, "no transport is available");
    }
}
