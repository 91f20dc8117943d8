package dev.llmgateway.testing;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Collects what a logger publishes, for tests that read log records rather than a runtime's log file. */
public final class LogRecords {

    private LogRecords() {
    }

    public static Handler into(List<LogRecord> records) {
        return new Handler() {
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
    }
}
