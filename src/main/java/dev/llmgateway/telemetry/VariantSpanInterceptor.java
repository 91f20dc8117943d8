package dev.llmgateway.telemetry;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.VariantSettings;
import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.inference.InferenceResult;
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
public class VariantSpanInterceptor extends ChainSpanInterceptor {

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(InvocationContext invocation) {
        return "variant_inference " + variant(invocation).name();
    }

    @Override
    protected void started(InvocationContext invocation, SpanBuilder span) {
        span.setAttribute(FUNCTION, ((FunctionSettings) invocation.getParameters()[0]).name())
                .setAttribute(VARIANT, variant(invocation).name())
                .setAttribute(MODEL, variant(invocation).model())
                .setAttribute(INFERENCE_ID, ((InferenceRequest) invocation.getParameters()[2]).inferenceId());
    }

    @Override
    protected void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos) {
        // the model span below carries what the variant's model answered
    }

    private static VariantSettings variant(InvocationContext invocation) {
        return (VariantSettings) invocation.getParameters()[1];
    }
}
