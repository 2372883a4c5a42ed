package org.pyuv4j.transport.unix;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.pyuv4j.Errno;
import org.pyuv4j.error.UVError;

/**
 * Puts a foreign descriptor in non-blocking mode, as libuv's {@code uv_tcp_open} does. Netty has no
 * fcntl and Java 17 has no foreign-function API, so this uses, in order: the descriptor's current
 * flags ({@code /proc/self/fdinfo}, Linux) when it is already non-blocking; the JDK's own
 * {@code sun.nio.ch.IOUtil.configureBlocking} when {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}
 * (or add-opens) allows it; the foreign-function API on Java 22 and later. If none is possible for a
 * blocking descriptor, the caller gets a clear error instead of a loop that would block.
 */
final class NonBlocking {
    private static final int O_NONBLOCK_LINUX = 04000;

    private NonBlocking() {
    }

    static void set(int fd) {
        Boolean blocking = isBlocking(fd);
        if (Boolean.FALSE.equals(blocking)) {
            return;
        }
        if (viaJdk(fd) || viaForeignFunctions(fd)) {
            return;
        }
        if (blocking == null) {
            return; // cannot tell (no /proc): trust the caller, as the descriptor usually comes from a non-blocking API
        }
        throw new UVError(Errno.UV_ENOTSUP, "descriptor " + fd + " is in blocking mode and cannot be switched on this JVM:"
                + " pass a non-blocking descriptor, run on Java 22+, or add --add-exports java.base/sun.nio.ch=ALL-UNNAMED");
    }

    /** @return whether the descriptor blocks, or null when the OS does not say */
    static Boolean isBlocking(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd), StandardCharsets.US_ASCII)) {
                if (line.startsWith("flags:")) {
                    int flags = Integer.parseInt(line.substring(6).trim(), 8);
                    return (flags & O_NONBLOCK_LINUX) == 0;
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static boolean viaJdk(int fd) {
        try {
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            Method newFd = ioUtil.getMethod("newFD", int.class);
            Method configure = ioUtil.getMethod("configureBlocking", FileDescriptor.class, boolean.class);
            configure.invoke(null, newFd.invoke(null, fd), false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** fcntl(fd, F_SETFL, flags | O_NONBLOCK) through java.lang.foreign, looked up reflectively (we compile for 17). */
    private static boolean viaForeignFunctions(int fd) {
        if (Runtime.version().feature() < 22) {
            return false;
        }
        try {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            Object symbol = ((java.util.Optional<?>) lookupClass.getMethod("find", String.class)
                    .invoke(lookup, "fcntl")).orElseThrow();
            Object jint = valueLayout.getField("JAVA_INT").get(null);
            Object layouts = java.lang.reflect.Array.newInstance(layoutClass, 3);
            for (int i = 0; i < 3; i++) {
                java.lang.reflect.Array.set(layouts, i, jint);
            }
            Object desc = descClass.getMethod("of", layoutClass, layouts.getClass()).invoke(null, jint, layouts);
            Object options = java.lang.reflect.Array.newInstance(optionClass, 1);
            java.lang.reflect.Array.set(options, 0, optionClass.getMethod("firstVariadicArg", int.class).invoke(null, 2));
            MethodHandle fcntl = (MethodHandle) linkerClass.getMethod("downcallHandle", segmentClass, descClass, options.getClass())
                    .invoke(linker, symbol, desc, options);
            int getfl = 3;
            int setfl = 4;
            int nonblock = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux") ? O_NONBLOCK_LINUX : 4;
            int flags = (int) fcntl.invokeWithArguments(fd, getfl, 0);
            return flags >= 0 && (int) fcntl.invokeWithArguments(fd, setfl, flags | nonblock) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
