package dev.llmgateway.telemetry;

import dev.llmgateway.config.ApplicationConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPTS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.OUTPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.ERROR_TYPE;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.FUNCTION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.OPERATION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.VARIANT;

/**
 * Each inference's log record over OTLP, when the SDK exports logs ({@code gateway.logs.otlp.enabled}): the
 * console line's fields as typed attributes, under the model span's trace and span ids. Emitted through the
 * application's own SDK, so both runtimes export it the same way.
 */
@ApplicationScoped
public class InferenceLogRecords {

    /** The record's event name as an attribute: the runtimes' logs APIs (1.29, 1.39) predate the record's own field. */
    static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
    static final String EVENT = "gateway.inference";
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gateway.outcome");
    static final AttributeKey<Double> DURATION_MS = AttributeKey.doubleKey("gateway.duration_ms");

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(InferenceLogRecords.class.getName());

    @Inject
    OpenTelemetry openTelemetry;

    /** Null unless log records leave: then the request path builds nothing for them. */
    private Logger logger;

    @PostConstruct
    void create() {
        org.eclipse.microprofile.config.Config config = ApplicationConfig.get();
        if (TracingConfigSource.logsExported(config)) {
            logger = openTelemetry.getLogsBridge().get("llm-gateway");
        } else if (TracingConfigSource.logs(config)) {
            LOG.warning(TracingConfigSource.LOGS_ENABLED + " is true, but otel.logs.exporter=none or otel.sdk.disabled=true is set explicitly: "
                    + "no inference log record leaves over OTLP");
        }
    }

    /** Built at startup, so that a contradicting setting is reported then, not at the first inference. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        enabled();
    }

    boolean enabled() {
        return logger != null;
    }

    void emit(InferenceSummary summary) {
        if (logger == null) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder().put(EVENT_NAME, EVENT)
                .put(INFERENCE_ID, summary.inferenceId())
                .put(OPERATION, summary.operation())
                .put(OUTCOME, summary.outcome())
                .put(ATTEMPTS, summary.attempts())
                .put(DURATION_MS, summary.nanos() / 1e6);
        putIfPresent(attributes, FUNCTION, summary.function());
        putIfPresent(attributes, VARIANT, summary.variant());
        putIfPresent(attributes, MODEL, summary.model());
        putIfPresent(attributes, PROVIDER, summary.provider());
        putIfPresent(attributes, ERROR_TYPE, summary.errorType());
        if (summary.inputTokens() >= 0) {
            attributes.put(INPUT_TOKENS, summary.inputTokens());
        }
        if (summary.outputTokens() >= 0) {
            attributes.put(OUTPUT_TOKENS, summary.outputTokens());
        }
        logger.logRecordBuilder()
                .setContext(Context.root().with(Span.wrap(summary.span())))
                .setTimestamp(java.time.Instant.now())
                .setSeverity(Severity.INFO)
                .setSeverityText("INFO")
                .setBody("inference")
                .setAllAttributes(attributes.build())
                .emit();
    }

    private static void putIfPresent(AttributesBuilder attributes, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(key, value);
        }
    }
}
