package dev.llmgateway.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One concise INFO line per inference, joinable to its trace by the model span's ids. */
final class InferenceLog {

    private static final Logger LOG = Logger.getLogger("dev.llmgateway.inference");

    private InferenceLog() {
    }

    static boolean enabled() {
        return LOG.isLoggable(Level.INFO);
    }

    static void log(InferenceSummary summary) {
        if (!enabled()) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "inference_id", summary.inferenceId());
        put(fields, "operation", summary.operation());
        put(fields, "function", summary.function());
        put(fields, "variant", summary.variant());
        put(fields, "model", summary.model());
        put(fields, "provider", summary.provider());
        put(fields, "outcome", summary.outcome());
        put(fields, "error_type", summary.errorType());
        put(fields, "attempts", Long.toString(summary.attempts()));
        if (summary.inputTokens() >= 0) {
            put(fields, "input_tokens", Long.toString(summary.inputTokens()));
        }
        if (summary.outputTokens() >= 0) {
            put(fields, "output_tokens", Long.toString(summary.outputTokens()));
        }
        put(fields, "duration_ms", millisWithTenths(summary.nanos()));
        CorrelatedLog.log(LOG, Level.INFO, "inference", summary.span(), fields, null);
    }

    /** Like {@code %.1f} of the milliseconds, without a Formatter per line. */
    static String millisWithTenths(long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        return (tenths / 10) + "." + (tenths % 10);
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isEmpty()) {
            fields.put(key, value);
        }
    }
}
