package dev.llmgateway.testing;

import dev.llmgateway.metrics.GatewayMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;

/** Reads the gateway's own counters, for tests that count what a request did. */
public final class GatewayCounters {

    private GatewayCounters() {
    }

    /** Counter {@code name} (without {@code _total}) summed over the series whose {@code label} is {@code value}. */
    public static double sum(String name, String label, String value) {
        return GatewayMetrics.shared().registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(p -> value.equals(p.getLabels().get(label))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }
}
