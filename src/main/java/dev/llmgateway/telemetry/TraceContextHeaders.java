package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.TracingSettings;
import dev.llmgateway.provider.UpstreamHeaders;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.BiConsumer;

/**
 * Sends the provider-attempt span upstream as a W3C {@code traceparent} (upstream calls run inside that span, so it
 * names it). The caller's {@code tracestate} and {@code baggage} are the caller's business and may name its tenants
 * or users: they go to third-party providers only when the operator says so.
 */
@ApplicationScoped
public class TraceContextHeaders implements UpstreamHeaders {

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (header, name, value) -> header.accept(name, value);

    private boolean traceState;
    private boolean baggage;

    protected TraceContextHeaders() {
        // for CDI's proxy
    }

    @Inject
    TraceContextHeaders(GatewaySettings settings) {
        this(settings.tracing());
    }

    TraceContextHeaders(TracingSettings settings) {
        this.traceState = settings.propagateTraceState();
        this.baggage = settings.propagateBaggage();
    }

    @Override
    public void addTo(BiConsumer<String, String> header) {
        Context context = Context.current();
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!traceState && !span.getTraceState().isEmpty()) {
            SpanContext bare = SpanContext.create(span.getTraceId(), span.getSpanId(), span.getTraceFlags(), TraceState.getDefault());
            context = context.with(Span.wrap(bare));
        }
        W3CTraceContextPropagator.getInstance().inject(context, header, SETTER);
        if (baggage) {
            W3CBaggagePropagator.getInstance().inject(context, header, SETTER);
        }
    }
}
