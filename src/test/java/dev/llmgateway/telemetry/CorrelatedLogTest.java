package dev.llmgateway.telemetry;

import dev.llmgateway.testing.LogRecords;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelatedLogTest {

    @Test
    void putsTheTraceInTheTextAndAsFieldsForJsonFormatters() {
        Logger logger = Logger.getLogger("dev.llmgateway.test.correlated");
        logger.setUseParentHandlers(false);
        List<LogRecord> records = new ArrayList<>();
        logger.addHandler(LogRecords.into(records));
        SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

        CorrelatedLog.log(logger, Level.INFO, "inference", span, Map.of("model", "gpt"), null);

        LogRecord record = records.get(0);
        assertThat(record.getMessage()).isEqualTo("inference model=gpt trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331");
        // Payara's JSON formatter turns a map parameter into fields of the record
        assertThat(record.getParameters()[0]).isEqualTo(Map.of("model", "gpt",
                "trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331"));
        assertThat(new java.util.logging.SimpleFormatter().formatMessage(record)).isEqualTo(record.getMessage());
    }
}
