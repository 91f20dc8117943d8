package dev.llmgateway.telemetry;

import dev.llmgateway.inference.FunctionSpan;
import dev.llmgateway.inference.FunctionStep;
import dev.llmgateway.inference.InferenceResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.FUNCTION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.VARIANT;

/** {@code function_inference <function>}: the function call, across whichever variant serves it. */
@FunctionSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class FunctionSpanInterceptor extends ChainSpanInterceptor<FunctionStep> {

    public FunctionSpanInterceptor() {
        super(FunctionStep.class);
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(FunctionStep step) {
        return "function_inference " + step.function().name();
    }

    @Override
    protected void started(FunctionStep step, SpanBuilder span) {
        span.setAttribute(FUNCTION, step.function().name())
                .setAttribute(VARIANT, step.variant().name())
                .setAttribute(INFERENCE_ID, step.request().inferenceId());
    }

    @Override
    protected void answered(FunctionStep step, Span span, InferenceResult result, long elapsedNanos) {
        // the variant and model spans below carry what answered
    }
}
