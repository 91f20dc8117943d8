package dev.llmgateway.telemetry;

import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.SpanContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One concise INFO line per inference, joinable to its trace: route, outcome, tokens and duration, never
 * content or credentials, nothing per chunk.
 */
final class InferenceLog {

    private static final Logger LOG = Logger.getLogger("dev.llmgateway.inference");

    private InferenceLog() {
    }

    static void log(SpanContext span, InferenceRequest request, String model, String provider, String outcome, long attempts,
                    Usage usage, long nanos) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        long inputTokens = usage.inputTokens();
        long outputTokens = usage.outputTokens();
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "inference_id", request.inferenceId());
        put(fields, "operation", request.operation().conventionName());
        put(fields, "function", request.function());
        put(fields, "variant", request.variant());
        put(fields, "model", model);
        put(fields, "provider", provider);
        put(fields, "outcome", outcome);
        put(fields, "attempts", Long.toString(attempts));
        if (inputTokens >= 0) {
            put(fields, "input_tokens", Long.toString(inputTokens));
        }
        if (outputTokens >= 0) {
            put(fields, "output_tokens", Long.toString(outputTokens));
        }
        put(fields, "duration_ms", millisWithTenths(nanos));
        CorrelatedLog.log(LOG, Level.INFO, "inference", span, fields, null);
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
