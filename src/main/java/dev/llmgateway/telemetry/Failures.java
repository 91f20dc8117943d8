package dev.llmgateway.telemetry;

import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.provider.ProviderException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

import java.util.Locale;

/** Marks a span failed: ERROR status, the exception recorded, and error.type: a reason word, a status or the upstream's snake_case code. */
final class Failures {

    private Failures() {
    }

    static void record(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        span.setAttribute(SpanAttributes.LowCardinality.ERROR_TYPE, type(failure));
        ProviderException provider = provider(failure);
        if (provider != null && provider.status() > 0) {
            span.setAttribute(SpanAttributes.LowCardinality.HTTP_STATUS, provider.status());
        }
    }

    /**
     * The upstream's own error code ({@code context_length_exceeded}), else the HTTP status it failed with, else why it
     * failed (timeout, connection, …), else the exception's class.
     */
    static String type(Throwable failure) {
        ProviderException provider = provider(failure);
        if (provider == null) {
            return failure.getClass().getName();
        }
        if (provider.upstreamError().code() != null) {
            return provider.upstreamError().code();
        }
        if (provider.status() > 0) {
            return Integer.toString(provider.status());
        }
        return provider.reason().name().toLowerCase(Locale.ROOT);
    }

    private static ProviderException provider(Throwable failure) {
        if (failure instanceof ProviderException p) {
            return p;
        }
        if (failure instanceof InferenceFailedException f) {
            return f.last();
        }
        return null;
    }
}
