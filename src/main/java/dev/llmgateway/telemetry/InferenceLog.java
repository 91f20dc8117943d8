package dev.llmgateway.telemetry;

import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.pricing.Pricing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One concise INFO line per inference, joinable to its trace by the model span's ids; never content or credentials. */
@ApplicationScoped
public class InferenceLog implements GatewayListener {

    @Inject
    Pricing pricing;

    private static final Logger LOG = Logger.getLogger("dev.llmgateway.inference");

    @Override
    public void inferenceEnded(InferenceEnded inference) {
        log(inference, pricing);
    }

    static boolean enabled() {
        return LOG.isLoggable(Level.INFO);
    }

    static void log(InferenceEnded ended, Pricing pricing) {
        if (!enabled()) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "inference_id", ended.inference().inferenceId());
        put(fields, "operation", ended.inference().operationName());
        put(fields, "function", ended.inference().function());
        put(fields, "variant", ended.inference().variant());
        put(fields, "model", ended.inference().model());
        put(fields, "provider", ended.provider());
        put(fields, "outcome", ended.outcome().label());
        put(fields, "error_type", ended.errorType());
        put(fields, "attempts", Long.toString(ended.attempts()));
        if (ended.usage().inputTokens() >= 0) {
            put(fields, "input_tokens", Long.toString(ended.usage().inputTokens()));
        }
        if (ended.usage().outputTokens() >= 0) {
            put(fields, "output_tokens", Long.toString(ended.usage().outputTokens()));
        }
        if (ended.provider() != null) {
            Cost cost = pricing.cost(ended.provider(), ended.inference().model(), ended.usage());
            if (cost.known()) {
                put(fields, "cost", Double.toString(cost.amount()));
                put(fields, "currency", cost.currency());
            }
        }
        put(fields, "duration_ms", millisWithTenths(ended.durationNanos()));
        CorrelatedLog.log(LOG, Level.INFO, "inference", ended.trace(), fields, null);
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
