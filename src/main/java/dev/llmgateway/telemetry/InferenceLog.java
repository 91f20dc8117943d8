package dev.llmgateway.telemetry;

import io.opentelemetry.api.trace.SpanContext;

import java.util.Locale;
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

    static void log(SpanContext span, String inferenceId, String function, String variant, String model, String provider,
                    String outcome, long attempts, long inputTokens, long outputTokens, long nanos) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        StringBuilder line = new StringBuilder(256).append("inference");
        field(line, "inference_id", inferenceId);
        field(line, "function", function);
        field(line, "variant", variant);
        field(line, "model", model);
        field(line, "provider", provider);
        field(line, "outcome", outcome);
        field(line, "attempts", Long.toString(attempts));
        if (inputTokens >= 0) {
            field(line, "input_tokens", Long.toString(inputTokens));
        }
        if (outputTokens >= 0) {
            field(line, "output_tokens", Long.toString(outputTokens));
        }
        field(line, "duration_ms", String.format(Locale.ROOT, "%.1f", nanos / 1e6));
        if (span.isValid()) {
            field(line, "trace_id", span.getTraceId());
            field(line, "span_id", span.getSpanId());
        }
        LOG.info(line.toString());
    }

    private static void field(StringBuilder line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.append(' ').append(key).append('=').append(value);
        }
    }
}
