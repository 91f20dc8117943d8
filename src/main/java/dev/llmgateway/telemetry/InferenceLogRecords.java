package dev.llmgateway.telemetry;

import dev.llmgateway.config.ApplicationConfig;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.Inference;
import dev.llmgateway.events.InferenceEnded;
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
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.pricing.Pricing;
import jakarta.inject.Inject;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPTS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.CONVERSATION_ID;
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
public class InferenceLogRecords implements GatewayListener {

    /** The record's event name as an attribute: the runtimes' logs APIs (1.29, 1.39) predate the record's own field. */
    static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
    static final String EVENT = "gateway.inference";
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gateway.outcome");
    static final AttributeKey<Double> DURATION_MS = AttributeKey.doubleKey("gateway.duration_ms");

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(InferenceLogRecords.class.getName());

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    Pricing pricing;

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

    @Override
    public void inferenceEnded(InferenceEnded ended) {
        if (logger == null) {
            return;
        }
        Inference inference = ended.inference();
        AttributesBuilder attributes = Attributes.builder().put(EVENT_NAME, EVENT)
                .put(INFERENCE_ID, inference.inferenceId())
                .put(OPERATION, inference.operationName())
                .put(OUTCOME, ended.outcome().label())
                .put(ATTEMPTS, (long) ended.attempts())
                .put(DURATION_MS, ended.durationNanos() / 1e6);
        putIfPresent(attributes, FUNCTION, inference.function());
        putIfPresent(attributes, VARIANT, inference.variant());
        putIfPresent(attributes, MODEL, inference.model());
        putIfPresent(attributes, PROVIDER, ended.provider());
        putIfPresent(attributes, ERROR_TYPE, ended.errorType());
        putIfPresent(attributes, CONVERSATION_ID, inference.conversationId());
        if (ended.usage().inputTokens() >= 0) {
            attributes.put(INPUT_TOKENS, ended.usage().inputTokens());
        }
        if (ended.usage().outputTokens() >= 0) {
            attributes.put(OUTPUT_TOKENS, ended.usage().outputTokens());
        }
        if (ended.provider() != null) {
            Cost cost = pricing.cost(ended.provider(), inference.model(), ended.usage());
            if (cost.known()) {
                attributes.put(SpanAttributes.HighCardinality.COST, cost.amount()).put(SpanAttributes.HighCardinality.COST_CURRENCY, cost.currency());
            }
        }
        logger.logRecordBuilder()
                .setContext(Context.root().with(Span.wrap(ended.trace())))
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
