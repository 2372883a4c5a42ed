package org.pyuv4j.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads classes ahead of a descriptor exhaustion. Loading a class from a directory opens its class
 * file, and the JVM opens a class-path jar at the first lookup that reaches it; under EMFILE either
 * fails, and a failed resolution stays failed for good. So a program about to exhaust its
 * descriptors first opens every jar (a lookup that misses goes through all of them) and loads every
 * class of the given packages.
 */
public final class Preload {
    private Preload() {
    }

    /**
     * @param packagePath a package as a resource path, e.g. {@code "org/pyuv4j"}; its subpackages too
     * @return how many classes were loaded
     */
    public static int everything(String packagePath) {
        ClassLoader loader = Preload.class.getClassLoader();
        try {
            Class.forName("org.pyuv4j.test.NoSuchClass", false, loader);
            throw new AssertionError("NoSuchClass exists");
        } catch (ClassNotFoundException expected) {
            // every jar of the class path is open now
        }
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(packagePath);
            while (roots.hasMoreElements()) {
                collect(roots.nextElement(), packagePath, names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new AssertionError("cannot preload " + name, e);
            }
        }
        return names.size();
    }

    private static void collect(URL root, String packagePath, List<String> names) throws IOException {
        if (root.getProtocol().equals("jar")) {
            JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile();
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (entry.startsWith(packagePath + "/") && entry.endsWith(".class")) {
                    names.add(className(entry));
                }
            }
            return;
        }
        Path dir;
        try {
            dir = Path.of(root.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path base = dir;
        for (int i = packagePath.split("/").length; i > 0; i--) {
            base = base.getParent();
        }
        Path classes = base;
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .forEach(p -> names.add(className(classes.relativize(p).toString().replace('\\', '/'))));
        }
    }

    private static String className(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
