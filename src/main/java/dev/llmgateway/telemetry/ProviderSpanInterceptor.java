package dev.llmgateway.telemetry;

import dev.llmgateway.inference.ProviderSpan;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.ProviderStep;
import dev.llmgateway.pricing.Pricing;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

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
    ContentCapture contentCapture;

    @Inject
    Pricing pricing;

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
        ProviderSettings provider = step.settings();
        ProviderRequest request = step.request();
        GenAiAttributes.request(span, provider, request);
        span.setAttribute(PROVIDER, provider.name())
                .setAttribute(INFERENCE_ID, step.inference().inferenceId())
                .setAttribute(ATTEMPT, (long) step.attempt());
        ContentCapture capture = contentCapture.ifEnabled();
        if (capture != null && request.operation() == Operation.CHAT) {
            String instructions = capture.systemInstructions(request.body());
            if (instructions != null) {
                span.setAttribute(SYSTEM_INSTRUCTIONS, instructions);
            }
            String input = capture.inputMessages(request.body());
            span.setAttribute(INPUT_MESSAGES, input);
            step.inference().content().input(input);
        }
    }

    @Override
    protected void answered(ProviderStep step, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(HTTP_STATUS, 200L);
        if (result.streamed()) {
            // the attempt returns once the first chunk is in
            span.setAttribute(TIME_TO_FIRST_CHUNK, elapsedNanos / 1e9);
        } else {
            GenAiAttributes.response(span, result.completion().summary());
            GenAiAttributes.cost(span, pricing.cost(step.settings().name(), step.inference().model(), result.completion().summary().usage()));
            ContentCapture capture = contentCapture.ifEnabled();
            if (capture != null && step.request().operation() == Operation.CHAT) {
                String output = capture.outputMessages(result.completion().json());
                span.setAttribute(OUTPUT_MESSAGES, output);
                step.inference().content().output(output);
            }
        }
    }

    @Override
    protected ChunkObserver observer(ProviderStep step, InferenceResult result, long startNanos) {
        return new StreamedResponseObserver(step.request().operation() == Operation.CHAT ? contentCapture.ifEnabled() : null,
                usage -> pricing.cost(step.settings().name(), step.inference().model(), usage), step.inference().content());
    }
}
