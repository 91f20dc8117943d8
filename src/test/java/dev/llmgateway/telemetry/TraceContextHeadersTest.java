package dev.llmgateway.telemetry;

import dev.llmgateway.config.RequestExportSettings;
import dev.llmgateway.config.TracingSettings;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextHeadersTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SPAN = "b7ad6b7169203331";

    @Test
    void onlyTraceparentGoesUpstreamByDefault() {
        Map<String, String> sent = sent(false, false);
        assertThat(sent).containsOnlyKeys("traceparent");
        assertThat(sent.get("traceparent")).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    }

    @Test
    void tracestateAndBaggageGoWhenConfigured() {
        Map<String, String> sent = sent(true, true);
        assertThat(sent).containsEntry("tracestate", "vendor=opaque").containsKey("traceparent");
        assertThat(sent.get("baggage")).contains("tenant=acme");
        assertThat(sent(true, false)).containsOnlyKeys("traceparent", "tracestate");
        assertThat(sent(false, true)).containsOnlyKeys("traceparent", "baggage");
    }

    private static Map<String, String> sent(boolean traceState, boolean baggage) {
        TraceContextHeaders headers = new TraceContextHeaders(new TracingSettings(false, 1, 1, traceState, baggage, RequestExportSettings.DEFAULTS));
        SpanContext span = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.builder().put("vendor", "opaque").build());
        Context context = Context.root().with(Span.wrap(span)).with(Baggage.builder().put("tenant", "acme").build());
        Map<String, String> sent = new TreeMap<>();
        try (Scope ignored = context.makeCurrent()) {
            headers.addTo(sent::put);
        }
        return sent;
    }
}
