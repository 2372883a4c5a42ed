package org.pyuv4j.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (service-loaded, autodetection on): installs the failing leak
 * detector before any test touches Netty, and checks for leaks after each test.
 */
public final class PyuvExtension implements BeforeAllCallback, AfterEachCallback {
    static {
        LeakDetection.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetection.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakDetection.assertNoLeaks();
    }
}
