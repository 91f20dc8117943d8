package dev.llmgateway.telemetry;

import dev.llmgateway.auth.Caller;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.inference.InferenceResult;
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
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.API_KEY;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER;

/** {@code model_inference <model>}: the fallback loop over the model's providers; one child span per attempt. */
@ModelSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ModelSpanInterceptor extends ChainSpanInterceptor {

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(InvocationContext invocation) {
        return "model_inference " + model(invocation).name();
    }

    @Override
    protected void started(InvocationContext invocation, SpanBuilder span) {
        String keyName = Caller.keyName();
        if (!keyName.isEmpty()) {
            span.setAttribute(API_KEY, keyName);
        }
        span.setAttribute(MODEL, model(invocation).name())
                .setAttribute(INFERENCE_ID, ((InferenceRequest) invocation.getParameters()[1]).inferenceId());
    }

    @Inject
    GatewayMetrics metrics;

    @Override
    protected void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(PROVIDER, result.route().provider());
        span.setAttribute(ATTEMPTS, result.route().attempts());
        ModelSettings model = model(invocation);
        if (!model.routing().get(0).equals(result.route().provider())) {
            metrics.fallback(model.name());
        }
        if (result.streamed()) {
            metrics.streamStarted();
        } else {
            Usage usage = result.completion().usage();
            finished(invocation, span, result.route().provider(), result.route().attempts(), "success", usage, elapsedNanos);
        }
    }

    @Override
    protected void failed(InvocationContext invocation, Span span, Throwable failure, long elapsedNanos) {
        int attempts = failure instanceof InferenceFailedException f ? f.failures().size() : 0;
        String provider = failure instanceof InferenceFailedException f ? f.last().provider() : null;
        finished(invocation, span, provider, attempts, "error", Usage.UNKNOWN, elapsedNanos);
    }

    @Override
    protected ChunkObserver observer(InvocationContext invocation, InferenceResult result) {
        long start = System.nanoTime();
        return new ChunkObserver() {
            private Usage usage = Usage.UNKNOWN;

            @Override
            public void onChunk(Chunk chunk) {
                if (chunk.isUsageOnly()) {
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
                finished(invocation, span, result.route().provider(), result.route().attempts(), outcome, usage, System.nanoTime() - start);
            }
        };
    }

    private void finished(InvocationContext invocation, Span span, String provider, long attempts, String outcome, Usage usage, long nanos) {
        InferenceRequest request = (InferenceRequest) invocation.getParameters()[1];
        String model = model(invocation).name();
        metrics.inference(request.function(), request.variant(), model, provider, outcome);
        if (provider != null) {
            metrics.tokens(model, provider, usage.inputTokens(), usage.outputTokens());
        }
        InferenceLog.log(span.getSpanContext(), request.inferenceId(), request.function(), request.variant(), model, provider,
                outcome, attempts, usage.inputTokens(), usage.outputTokens(), nanos);
    }

    private static ModelSettings model(InvocationContext invocation) {
        return (ModelSettings) invocation.getParameters()[0];
    }
}
