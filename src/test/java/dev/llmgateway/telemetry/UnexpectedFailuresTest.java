package dev.llmgateway.telemetry;

import dev.llmgateway.testing.GatewayCounters;
import dev.llmgateway.testing.LogRecords;
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
        Handler handler = LogRecords.into(records);
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
        return GatewayCounters.sum("gateway_unexpected_failures", "kind", kind);
    }
}
