package dev.llmgateway.telemetry;

import dev.llmgateway.provider.UpstreamHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.BiConsumer;

/**
 * Sends the current trace context upstream (W3C traceparent, tracestate and baggage, as the runtime's
 * propagators are configured). Upstream calls run inside the provider-attempt span, so traceparent names it.
 */
@ApplicationScoped
public class TraceContextHeaders implements UpstreamHeaders {

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (header, name, value) -> header.accept(name, value);

    @Inject
    OpenTelemetry openTelemetry;

    private TextMapPropagator propagator;

    @PostConstruct
    void resolve() {
        propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public void addTo(BiConsumer<String, String> header) {
        propagator.inject(Context.current(), header, SETTER);
    }
}
