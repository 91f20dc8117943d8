package dev.llmgateway.events;

import io.opentelemetry.api.trace.SpanContext;

/** A failure the gateway did not expect (its bug), with the span that was current when it happened. */
public record UnexpectedFailure(Throwable failure, SpanContext trace) implements GatewayEvent {

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.unexpectedFailure(this);
    }
}
