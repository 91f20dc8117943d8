package dev.llmgateway.telemetry;

import dev.llmgateway.config.FunctionSettings;
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
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.VARIANT;

/** {@code function_inference <function>}: the function call, across whichever variant serves it. */
@FunctionSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class FunctionSpanInterceptor extends ChainSpanInterceptor {

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(InvocationContext invocation) {
        return "function_inference " + function(invocation).name();
    }

    @Override
    protected void started(InvocationContext invocation, SpanBuilder span) {
        span.setAttribute(FUNCTION, function(invocation).name())
                .setAttribute(INFERENCE_ID, ((InferenceRequest) invocation.getParameters()[1]).inferenceId());
    }

    @Override
    protected void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(VARIANT, result.route().variant());
    }

    private static FunctionSettings function(InvocationContext invocation) {
        return (FunctionSettings) invocation.getParameters()[0];
    }
}
