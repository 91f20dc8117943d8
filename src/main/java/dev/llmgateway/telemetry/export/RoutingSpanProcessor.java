package dev.llmgateway.telemetry.export;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/** Marks each span a request starts with that request's route, and notes when it ends. */
final class RoutingSpanProcessor implements SpanProcessor {

    private final RequestRoutes routes;

    RoutingSpanProcessor(RequestRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        routes.started(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        routes.ended(span);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }
}
