package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.ProviderStep;
import dev.llmgateway.metrics.GatewayMetrics;
import dev.llmgateway.metrics.UpstreamClock;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import java.util.Locale;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPT;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INPUT_MESSAGES;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.OUTPUT_MESSAGES;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.SYSTEM_INSTRUCTIONS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.TIME_TO_FIRST_CHUNK;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.HTTP_STATUS;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER;

/**
 * {@code <operation> <model>} ({@code chat gpt-4o}, {@code embeddings text-embedding-3-small}): one call to one
 * provider, a CLIENT span with the GenAI attributes of its operation. The trace context
 * sent upstream names this span, because the call runs while it is current.
 */
@ProviderSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ProviderSpanInterceptor extends ChainSpanInterceptor<ProviderStep> {

    @Inject
    GatewaySettings settings;

    @Inject
    ContentCapture contentCapture;

    @Inject
    GatewayMetrics metrics;

    @Inject
    GenAiMetrics genAi;

    public ProviderSpanInterceptor() {
        super(ProviderStep.class);
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected SpanKind kind() {
        return SpanKind.CLIENT;
    }

    @Override
    protected String name(ProviderStep step) {
        return step.request().operation().conventionName() + " " + step.request().model();
    }

    @Override
    protected void started(ProviderStep step, SpanBuilder span) {
        ProviderSettings provider = settings.providers().get(step.provider().name());
        ProviderRequest request = step.request();
        GenAiAttributes.request(span, provider, request);
        span.setAttribute(PROVIDER, provider.name())
                .setAttribute(INFERENCE_ID, step.inferenceId())
                .setAttribute(ATTEMPT, (long) step.attempt());
        ContentCapture capture = contentCapture.ifEnabled();
        if (capture != null && request.operation() == Operation.CHAT) {
            String instructions = capture.systemInstructions(request.body());
            if (instructions != null) {
                span.setAttribute(SYSTEM_INSTRUCTIONS, instructions);
            }
            span.setAttribute(INPUT_MESSAGES, capture.inputMessages(request.body()));
        }
    }

    @Override
    protected void answered(ProviderStep step, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(HTTP_STATUS, 200L);
        UpstreamClock.add(elapsedNanos);
        String operation = step.request().operation().conventionName();
        if (result.streamed()) {
            // the attempt returns once the first chunk is in
            span.setAttribute(TIME_TO_FIRST_CHUNK, elapsedNanos / 1e9);
            metrics.timeToFirstChunk(operation, step.provider().name(), elapsedNanos);
            genAi.firstChunk(call(step), elapsedNanos);
        } else {
            metrics.attempt(operation, step.provider().name(), "success", elapsedNanos);
            genAi.callEnded(call(step), result.completion().summary().model(), result.completion().usage(), elapsedNanos, null);
            GenAiAttributes.response(span, result.completion().summary());
            ContentCapture capture = contentCapture.ifEnabled();
            if (capture != null && step.request().operation() == Operation.CHAT) {
                span.setAttribute(OUTPUT_MESSAGES, capture.outputMessages(result.completion().json()));
            }
        }
    }

    @Override
    protected void failed(ProviderStep step, Span span, Throwable failure, long elapsedNanos) {
        UpstreamClock.add(elapsedNanos);
        metrics.attempt(step.request().operation().conventionName(), step.provider().name(), outcome(failure), elapsedNanos);
        genAi.callEnded(call(step), null, null, elapsedNanos, outcome(failure));
    }

    private Attributes call(ProviderStep step) {
        return genAi.call(settings.providers().get(step.provider().name()), step.request());
    }

    @Override
    protected ChunkObserver observer(ProviderStep step, InferenceResult result, long startNanos) {
        StreamedResponseObserver attributes = new StreamedResponseObserver(step.request().operation() == Operation.CHAT ? contentCapture.ifEnabled() : null);
        String operation = step.request().operation().conventionName();
        String provider = step.provider().name();
        Attributes call = call(step);
        return new ChunkObserver() {
            private long lastChunkAt;

            @Override
            public void onChunk(Chunk chunk) {
                attributes.onChunk(chunk);
                if (!genAi.enabled() || !chunk.carriesOutput()) {
                    return; // a role, a finish reason, usage, a Responses event that opens or closes an item: no output
                }
                long now = System.nanoTime();
                if (lastChunkAt != 0) {
                    genAi.nextChunk(call, now - lastChunkAt);
                }
                lastChunkAt = now;
            }

            @Override
            public void onWait(long nanos) {
                UpstreamClock.add(nanos);
            }

            @Override
            public void onEnd(Span span, StreamEnd end, Throwable failure) {
                attributes.onEnd(span, end, failure);
                String outcome = switch (end) {
                    case COMPLETE -> "success";
                    case CANCELLED -> "cancelled";
                    case ERROR -> outcome(failure);
                };
                metrics.attempt(operation, provider, outcome, System.nanoTime() - startNanos);
                // a client that left ended the call, not the provider: counted without an error
                genAi.callEnded(call, attributes.model(), attributes.usage(), System.nanoTime() - startNanos, end == StreamEnd.ERROR ? outcome : null);
            }
        };
    }

    /** A provider failure's reason (timeout, rate_limited, …), as a metric label. */
    private static String outcome(Throwable failure) {
        return failure instanceof ProviderException e ? e.reason().name().toLowerCase(Locale.ROOT) : "error";
    }
}
