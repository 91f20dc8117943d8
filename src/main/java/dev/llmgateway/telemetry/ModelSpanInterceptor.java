package dev.llmgateway.telemetry;

import dev.llmgateway.auth.Caller;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.ModelStep;
import dev.llmgateway.metrics.GatewayMetrics;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPTS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.API_KEY;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.OPERATION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER;

/** {@code model_inference <model>}: the fallback loop over the model's providers; one child span per attempt. */
@ModelSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ModelSpanInterceptor extends ChainSpanInterceptor<ModelStep> {

    @Inject
    GatewayMetrics metrics;

    @Inject
    GenAiMetrics genAi;

    @Inject
    InferenceLogRecords logRecords;

    @Inject
    GatewaySettings settings;

    public ModelSpanInterceptor() {
        super(ModelStep.class);
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(ModelStep step) {
        return "model_inference " + step.model().name();
    }

    @Override
    protected void started(ModelStep step, SpanBuilder span) {
        String keyName = Caller.keyName();
        if (!keyName.isEmpty()) {
            span.setAttribute(API_KEY, keyName);
        }
        span.setAttribute(MODEL, step.model().name())
                .setAttribute(OPERATION, step.request().operation().conventionName())
                .setAttribute(INFERENCE_ID, step.request().inferenceId());
    }

    @Override
    protected void answered(ModelStep step, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(PROVIDER, result.route().provider());
        span.setAttribute(ATTEMPTS, result.route().attempts());
        // a provider that cannot serve the operation was never a choice: answering past it is no fallback
        if (!step.routing().get(0).equals(result.route().provider())) {
            metrics.fallback(step.model().name());
        }
        if (result.streamed()) {
            metrics.streamStarted();
        } else {
            Usage usage = result.completion().usage();
            finished(step, span, result.route().provider(), result.route().attempts(), "success", null, usage, elapsedNanos);
            genAi.served(step.request().operation().conventionName(), step.model().name(), provider(result.route().provider()), elapsedNanos, -1, usage, null);
        }
    }

    @Override
    protected void failed(ModelStep step, Span span, Throwable failure, long elapsedNanos) {
        int attempts = failure instanceof InferenceFailedException f ? f.failures().size() : 0;
        String provider = failure instanceof InferenceFailedException f ? f.last().provider() : null;
        finished(step, span, provider, attempts, "error", errorType(failure), Usage.UNKNOWN, elapsedNanos);
        genAi.served(step.request().operation().conventionName(), step.model().name(), provider(provider), elapsedNanos, -1, null, errorType(failure));
    }

    @Override
    protected ChunkObserver observer(ModelStep step, InferenceResult result, long startNanos) {
        long start = System.nanoTime();
        long firstToken = start - startNanos;
        return new ChunkObserver() {
            private Usage usage = Usage.UNKNOWN;

            @Override
            public void onChunk(Chunk chunk) {
                if (chunk.carriesUsage()) {
                    usage = chunk.usage();
                }
            }

            @Override
            public void onEnd(Span span, StreamEnd end, Throwable failure) {
                metrics.streamEnded();
                String outcome = switch (end) {
                    case COMPLETE -> "success";
                    case CANCELLED -> "cancelled";
                    case ERROR -> "error";
                };
                finished(step, span, result.route().provider(), result.route().attempts(), outcome, end == StreamEnd.ERROR ? errorType(failure) : null,
                        usage, System.nanoTime() - start);
                // counted however it ended, as gateway_inferences_total counts it; a client that left is not an error
                genAi.served(step.request().operation().conventionName(), step.model().name(), provider(result.route().provider()),
                        System.nanoTime() - startNanos, end == StreamEnd.COMPLETE ? firstToken : -1, usage, end == StreamEnd.ERROR ? errorType(failure) : null);
            }
        };
    }

    private ProviderSettings provider(String name) {
        return name == null ? null : settings.providers().get(name);
    }

    /** A bounded error.type: the last provider failure's reason, else the conventions' fallback value. */
    private static String errorType(Throwable failure) {
        if (failure instanceof InferenceFailedException f && !f.failures().isEmpty()) {
            return f.last().reason().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (failure instanceof dev.llmgateway.provider.ProviderException p) {
            return p.reason().name().toLowerCase(java.util.Locale.ROOT);
        }
        return "_OTHER";
    }

    private void finished(ModelStep step, Span span, String provider, long attempts, String outcome, String errorType, Usage usage, long nanos) {
        InferenceRequest request = step.request();
        String model = step.model().name();
        String operation = request.operation().conventionName();
        metrics.inference(operation, request.function(), request.variant(), model, provider, outcome);
        if (provider != null) {
            metrics.tokens(operation, model, provider, usage.inputTokens(), usage.outputTokens());
        }
        if (InferenceLog.enabled() || logRecords.enabled()) {
            InferenceSummary summary = new InferenceSummary(span.getSpanContext(), request, model, provider, outcome, errorType, attempts, usage, nanos);
            InferenceLog.log(summary);
            logRecords.emit(summary);
        }
    }
}
