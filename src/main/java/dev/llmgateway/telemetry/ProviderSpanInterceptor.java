package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.metrics.GatewayMetrics;
import dev.llmgateway.metrics.UpstreamClock;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
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
 * {@code chat <model>}: one call to one provider, a CLIENT span with the GenAI attributes. The trace context
 * sent upstream names this span, because the call runs while it is current.
 */
@ProviderSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ProviderSpanInterceptor extends ChainSpanInterceptor {

    @Inject
    GatewaySettings settings;

    @Inject
    ContentCapture contentCapture;

    @Inject
    GatewayMetrics metrics;

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected SpanKind kind() {
        return SpanKind.CLIENT;
    }

    @Override
    protected String name(InvocationContext invocation) {
        return GenAiAttributes.OPERATION_CHAT + " " + request(invocation).model();
    }

    @Override
    protected void started(InvocationContext invocation, SpanBuilder span) {
        Object[] parameters = invocation.getParameters();
        ProviderSettings provider = settings.providers().get(((Provider) parameters[0]).name());
        GenAiAttributes.request(span, provider, request(invocation));
        span.setAttribute(PROVIDER, provider.name())
                .setAttribute(INFERENCE_ID, (String) parameters[2])
                .setAttribute(ATTEMPT, ((Integer) parameters[3]).longValue());
        ContentCapture capture = contentCapture.ifEnabled();
        if (capture != null) {
            String instructions = capture.systemInstructions(request(invocation).body());
            if (instructions != null) {
                span.setAttribute(SYSTEM_INSTRUCTIONS, instructions);
            }
            span.setAttribute(INPUT_MESSAGES, capture.inputMessages(request(invocation).body()));
        }
    }

    @Override
    protected void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(HTTP_STATUS, 200L);
        UpstreamClock.add(elapsedNanos);
        if (result.streamed()) {
            // the attempt returns once the first chunk is in
            span.setAttribute(TIME_TO_FIRST_CHUNK, elapsedNanos / 1e9);
            metrics.timeToFirstChunk(provider(invocation), elapsedNanos);
        } else {
            metrics.attempt(provider(invocation), "success", elapsedNanos);
            GenAiAttributes.response(span, result.completion().summary());
            ContentCapture capture = contentCapture.ifEnabled();
            if (capture != null) {
                span.setAttribute(OUTPUT_MESSAGES, capture.outputMessages(result.completion().json()));
            }
        }
    }

    @Override
    protected void failed(InvocationContext invocation, Span span, Throwable failure, long elapsedNanos) {
        UpstreamClock.add(elapsedNanos);
        metrics.attempt(provider(invocation), outcome(failure), elapsedNanos);
    }

    @Override
    protected ChunkObserver observer(InvocationContext invocation, InferenceResult result) {
        StreamedResponseObserver attributes = new StreamedResponseObserver(contentCapture.ifEnabled());
        String provider = provider(invocation);
        long start = System.nanoTime();
        return new ChunkObserver() {
            @Override
            public void onChunk(Chunk chunk) {
                attributes.onChunk(chunk);
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
                metrics.attempt(provider, outcome, System.nanoTime() - start);
            }
        };
    }

    /** A provider failure's reason (timeout, rate_limited, …), as a metric label. */
    private static String outcome(Throwable failure) {
        return failure instanceof ProviderException e ? e.reason().name().toLowerCase(Locale.ROOT) : "error";
    }

    private static String provider(InvocationContext invocation) {
        return ((Provider) invocation.getParameters()[0]).name();
    }

    private static ProviderRequest request(InvocationContext invocation) {
        return (ProviderRequest) invocation.getParameters()[1];
    }
}
