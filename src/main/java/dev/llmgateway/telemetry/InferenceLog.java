package dev.llmgateway.telemetry;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One concise INFO line per inference, joinable to its trace: route, outcome, tokens and duration, never
 * content or credentials, nothing per chunk. Lines are built on the request thread and written on a
 * background one.
 */
@ApplicationScoped
public class InferenceLog {

    /** About two seconds of lines at 8,000 inferences a second. */
    static final int QUEUE_CAPACITY = 16_384;

    private static final Logger LOG = Logger.getLogger("dev.llmgateway.inference");

    @Inject
    GatewayMetrics metrics;

    private BackgroundLog writer;

    @PostConstruct
    void start() {
        writer = new BackgroundLog("gateway-inference-log", QUEUE_CAPACITY, metrics::logLineDropped).start();
    }

    @PreDestroy
    void stop() {
        writer.close();
    }

    void log(SpanContext span, String inferenceId, String function, String variant, String model, String provider,
                    String outcome, long attempts, long inputTokens, long outputTokens, long nanos) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "inference_id", inferenceId);
        put(fields, "function", function);
        put(fields, "variant", variant);
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
        writer.submit(CorrelatedLog.line(LOG, Level.INFO, "inference", span, fields, null));
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
