package dev.llmgateway.telemetry.openinference;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Exports the gateway's spans in the OpenInference format ({@code gateway.tracing.format=openinference}): the same
 * spans, their attributes renamed as {@link OpenInferenceSpans} maps them, on their way to the configured exporter.
 */
public final class OpenInferenceExporter implements SpanExporter {

    private final SpanExporter next;
    private final boolean keepGenAi;

    /** @param keepGenAi whether the GenAI attributes stay beside their OpenInference counterparts */
    public OpenInferenceExporter(SpanExporter next, boolean keepGenAi) {
        this.next = next;
        this.keepGenAi = keepGenAi;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> mapped = new ArrayList<>(spans.size());
        for (SpanData span : spans) {
            Attributes attributes;
            try {
                attributes = OpenInferenceSpans.of(span, keepGenAi);
            } catch (RuntimeException unmappable) {
                attributes = span.getAttributes(); // one span's odd value never costs the batch: it leaves as it was
            }
            mapped.add(attributes == span.getAttributes() ? span : new Renamed(span, attributes));
        }
        return next.export(mapped);
    }

    @Override
    public CompletableResultCode flush() {
        return next.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return next.shutdown();
    }

    private static final class Renamed extends DelegatingSpanData {

        private final Attributes attributes;
        private final int totalAttributeCount;

        Renamed(SpanData span, Attributes attributes) {
            super(span);
            this.attributes = attributes;
            this.totalAttributeCount = span.getTotalAttributeCount() - span.getAttributes().size() + attributes.size();
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public int getTotalAttributeCount() {
            return totalAttributeCount;
        }
    }
}
