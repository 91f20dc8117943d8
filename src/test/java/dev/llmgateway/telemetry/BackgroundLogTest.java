package dev.llmgateway.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundLogTest {

    private final List<LogRecord> written = new CopyOnWriteArrayList<>();
    private final List<String> writerThreads = new CopyOnWriteArrayList<>();
    private final Logger logger = capturing("dev.llmgateway.test.background");

    @Test
    void writesOnItsOwnThreadInOrderAndDrainsOnClose() {
        try (BackgroundLog log = new BackgroundLog("test-log-writer", 100, () -> { }).start()) {
            for (int i = 0; i < 50; i++) {
                log.submit(line("line " + i));
            }
        }

        assertThat(written).extracting(LogRecord::getMessage).hasSize(50).startsWith("line 0", "line 1").endsWith("line 49");
        assertThat(writerThreads).containsOnly("test-log-writer");
    }

    @Test
    void dropsAndCountsWhatTheFullQueueCannotTake() {
        AtomicInteger dropped = new AtomicInteger();
        BackgroundLog log = new BackgroundLog("test-log-writer", 3, dropped::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            log.submit(line("line " + i));
        }
        log.close();

        assertThat(dropped).hasValue(2);
        assertThat(written).extracting(LogRecord::getMessage).containsExactly("line 0", "line 1", "line 2");
    }

    @Test
    void aFailingHandlerDoesNotStopTheLinesAfterIt() {
        Logger failing = Logger.getLogger("dev.llmgateway.test.failing");
        failing.setUseParentHandlers(false);
        failing.addHandler(new Capture() {
            @Override
            public void publish(LogRecord record) {
                throw new IllegalStateException("disk full");
            }
        });
        try (BackgroundLog log = new BackgroundLog("test-log-writer", 10, () -> { }).start()) {
            log.submit(CorrelatedLog.line(failing, Level.INFO, "lost", SpanContext.getInvalid(), Map.of(), null));
            log.submit(line("kept"));
        }

        assertThat(written).extracting(LogRecord::getMessage).containsExactly("kept");
    }

    private CorrelatedLog.Line line(String message) {
        return CorrelatedLog.line(logger, Level.INFO, message, SpanContext.getInvalid(), Map.of(), null);
    }

    private Logger capturing(String name) {
        Logger log = Logger.getLogger(name);
        log.setUseParentHandlers(false);
        log.addHandler(new Capture() {
            @Override
            public void publish(LogRecord record) {
                writerThreads.add(Thread.currentThread().getName());
                written.add(record);
            }
        });
        return log;
    }

    private abstract static class Capture extends Handler {
        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
