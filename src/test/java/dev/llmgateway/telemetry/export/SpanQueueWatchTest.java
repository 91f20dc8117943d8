package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch span processor's own instruments, as the SDK reports them, reach /metrics as deltas. */
class SpanQueueWatchTest {

    private static final Attributes DROPPED = Attributes.of(AttributeKey.stringKey("processorType"), "BatchSpanProcessor",
            AttributeKey.booleanKey("dropped"), true);
    private static final Attributes EXPORTED = Attributes.of(AttributeKey.stringKey("processorType"), "BatchSpanProcessor",
            AttributeKey.booleanKey("dropped"), false);

    @Test
    void dropsAreCountedOnceAndTheQueueLengthFollows() {
        AtomicLong queue = new AtomicLong(7);
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .registerMetricReader(PeriodicMetricReader.builder(new SpanQueueWatch(dev.llmgateway.metrics.GatewayMetrics.shared())).setInterval(Duration.ofHours(1)).build()).build()) {
            Meter meter = provider.get("io.opentelemetry.sdk.trace");
            LongCounter processed = meter.counterBuilder("processedSpans").build();
            meter.gaugeBuilder("queueSize").ofLongs().buildWithCallback(m -> m.record(queue.get()));
            double before = dropped();

            processed.add(100, EXPORTED);
            processed.add(5, DROPPED);
            provider.forceFlush().join(5, TimeUnit.SECONDS);
            assertThat(dropped() - before).isEqualTo(5);
            assertThat(GatewayMetrics.shared().registry().scrape().stream()
                    .filter(m -> m.getMetadata().getName().equals("gateway_span_queue_size"))
                    .flatMap(m -> m.getDataPoints().stream()).mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                    .max().orElseThrow()).isEqualTo(7);

            provider.forceFlush().join(5, TimeUnit.SECONDS);
            assertThat(dropped() - before).as("the same cumulative total is not counted twice").isEqualTo(5);

            processed.add(3, DROPPED);
            provider.forceFlush().join(5, TimeUnit.SECONDS);
            assertThat(dropped() - before).isEqualTo(8);
        }
    }

    private static double dropped() {
        return GatewayMetrics.shared().registry().scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("gateway_spans_dropped"))
                .flatMap(m -> m.getDataPoints().stream())
                .filter(p -> "queue_full".equals(p.getLabels().get("reason")))
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p).getValue())
                .sum();
    }
}
