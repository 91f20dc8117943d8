package dev.llmgateway.telemetry;

import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.UnexpectedFailure;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmgateway.testing.LogRecords;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedFailureLogTest {

    /** A failure class of its own, so that no other test's reports share its window. */
    private static final class ProvokedByAClient extends RuntimeException {
    }

    @Test
    void aFloodOfOneKindIsCountedInFullAndLoggedOnce() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("dev.llmgateway.telemetry.UnexpectedFailures");
        Handler handler = LogRecords.into(records);
        logger.addHandler(handler);
        AtomicInteger counted = new AtomicInteger();
        GatewayListener counter = new GatewayListener() {
            @Override
            public void unexpectedFailure(UnexpectedFailure failure) {
                counted.incrementAndGet();
            }
        };
        GatewayEvents events = new GatewayEvents(List.of(new UnexpectedFailureLog(), counter));
        try {
            for (int i = 0; i < 1_000; i++) {
                events.unexpected(new ProvokedByAClient());
            }
        } finally {
            logger.removeHandler(handler);
        }

        assertThat(records).hasSize(1);
        assertThat(records.get(0).getThrown()).isInstanceOf(ProvokedByAClient.class);
        assertThat(counted).hasValue(1_000);
    }
}
