package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

import java.time.Duration;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Reads the batch span processor's own instruments (spans dropped because its queue was full, the queue's length)
 * each interval, puts them on /metrics, and logs drops once per interval rather than once per span: a collector
 * that is down, black-holed or slow fills the queue and must cost spans, never requests.
 */
final class SpanQueueWatch implements MetricExporter {

    static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(SpanQueueWatch.class.getName());
    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

    private final GatewayMetrics series;
    private long droppedSoFar;

    SpanQueueWatch(GatewayMetrics series) {
        this.series = series;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
        for (MetricData metric : metrics) {
            switch (metric.getName()) {
                case "processedSpans" -> metric.getLongSumData().getPoints().stream()
                        .filter(point -> Boolean.TRUE.equals(point.getAttributes().get(DROPPED)))
                        .mapToLong(LongPointData::getValue).max().ifPresent(this::dropped);
                case "queueSize" -> metric.getLongGaugeData().getPoints().stream()
                        .mapToLong(LongPointData::getValue).max().ifPresent(series::spanQueue);
                default -> {
                }
            }
        }
        return CompletableResultCode.ofSuccess();
    }

    private void dropped(long total) {
        long recent = total - droppedSoFar;
        if (recent > 0) {
            droppedSoFar = total;
            series.spansDropped("queue_full", (int) Math.min(Integer.MAX_VALUE, recent));
            LOG.warning(recent + " spans dropped in the last " + INTERVAL.toSeconds() + " s because the export queue was full: "
                    + "the collector is down, unreachable or slow (otel.bsp.max.queue.size bounds the queue)");
        }
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
