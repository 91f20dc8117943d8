package dev.llmgateway.telemetry;

import dev.llmgateway.metrics.GatewayMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedFailuresTest {

    /** A failure class of its own, so that no other test's reports share its window. */
    private static final class ProvokedByAClient extends RuntimeException {
    }

    @Test
    void aFloodOfOneKindIsCountedInFullAndLoggedOnce() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(UnexpectedFailures.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 1_000; i++) {
                UnexpectedFailures.report(new ProvokedByAClient());
            }
        } finally {
            logger.removeHandler(handler);
        }

        assertThat(records).hasSize(1);
        assertThat(records.get(0).getThrown()).isInstanceOf(ProvokedByAClient.class);
        assertThat(count("ProvokedByAClient")).isEqualTo(1_000);
    }

    private static double count(String kind) {
        return GatewayMetrics.shared().registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("gateway_unexpected_failures"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(p -> kind.equals(p.getLabels().get("kind"))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }
}
