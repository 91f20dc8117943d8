package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;

/** Counts what the runtime's exporter managed to send and what it failed to, on /metrics. */
final class CountingSpanExporter implements SpanExporter {

    private final SpanExporter delegate;

    private final GatewayMetrics metrics;

    CountingSpanExporter(SpanExporter delegate, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int count = spans.size();
        CompletableResultCode result = delegate.export(spans);
        result.whenComplete(() -> metrics.spansExported(result.isSuccess(), count));
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
