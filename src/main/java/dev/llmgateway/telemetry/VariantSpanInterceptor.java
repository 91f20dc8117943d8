package dev.llmgateway.telemetry;

import dev.llmgateway.inference.VariantSpan;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.VariantStep;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.FUNCTION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.VARIANT;

/** {@code variant_inference <variant>}: the chosen variant, its prompt and defaults applied. */
@VariantSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class VariantSpanInterceptor extends ChainSpanInterceptor<VariantStep> {

    public VariantSpanInterceptor() {
        super(VariantStep.class);
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(VariantStep step) {
        return "variant_inference " + step.variant().name();
    }

    @Override
    protected void started(VariantStep step, SpanBuilder span) {
        span.setAttribute(FUNCTION, step.function().name())
                .setAttribute(VARIANT, step.variant().name())
                .setAttribute(MODEL, step.variant().model())
                .setAttribute(INFERENCE_ID, step.request().inferenceId());
    }

    @Override
    protected void answered(VariantStep step, Span span, InferenceResult result, long elapsedNanos) {
        // the model span below carries what the variant's model answered
    }
}
