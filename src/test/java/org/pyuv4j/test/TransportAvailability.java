package org.pyuv4j.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pyuv4j.error.UVError;
import org.pyuv4j.internal.Transports;

/**
 * Skips a whole run, visibly, when the transport under test may be refused by the machine and is.
 * Only a run that sets {@value #SKIP_PROPERTY}{@code =true} can be skipped (the io_uring run of
 * transport-native: a kernel or container may refuse io_uring); any other run whose transport is
 * missing fails, as it should. The reason is printed once, as
 * {@code "<transport> unavailable here: <reason>; <transport> run skipped"}, and is every test's skip reason.
 */
public final class TransportAvailability implements ExecutionCondition {
    /** System property: skip the run (instead of failing it) when its transport is unavailable here. */
    public static final String SKIP_PROPERTY = "pyuv4j.transport.skipIfUnavailable";
    private static final ConditionEvaluationResult ENABLED = ConditionEvaluationResult.enabled("transport available");
    private static volatile ConditionEvaluationResult verdict;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ConditionEvaluationResult v = verdict;
        if (v == null) {
            synchronized (TransportAvailability.class) {
                v = verdict;
                if (v == null) {
                    v = evaluate();
                    verdict = v;
                }
            }
        }
        return v;
    }

    private static ConditionEvaluationResult evaluate() {
        String transport = System.getProperty(Transports.PROPERTY);
        if (!Boolean.getBoolean(SKIP_PROPERTY) || transport == null || transport.isBlank()) {
            return ENABLED;
        }
        try {
            Transports.select(transport);
            System.out.println("[pyuv4j] " + transport + " is available here: running the suite on it");
            return ENABLED;
        } catch (UVError e) {
            Throwable cause = e.getCause();
            String reason = cause != null ? cause.toString() : e.detail();
            String message = transport + " unavailable here: " + reason + "; " + transport + " run skipped";
            System.out.println("[pyuv4j] " + message);
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
