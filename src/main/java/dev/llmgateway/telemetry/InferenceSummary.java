package dev.llmgateway.telemetry;

import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.SpanContext;

/**
 * What one inference's log record says, in the console line and over OTLP alike: route, outcome, tokens and
 * duration, joined to the model span; never content or credentials, nothing per chunk.
 */
record InferenceSummary(SpanContext span, InferenceRequest request, String model, String provider, String outcome, String errorType,
                        long attempts, Usage usage, long nanos) {

    String inferenceId() {
        return request.inferenceId();
    }

    String operation() {
        return request.operation().conventionName();
    }

    String function() {
        return request.function();
    }

    String variant() {
        return request.variant();
    }

    long inputTokens() {
        return usage.inputTokens();
    }

    long outputTokens() {
        return usage.outputTokens();
    }
}
