package dev.llmgateway.telemetry;

import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.inference.InferenceRequest;
import dev.llmgateway.inference.InferenceResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPTS;
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
        span.setAttribute(MODEL, model(invocation).name())
                .setAttribute(INFERENCE_ID, ((InferenceRequest) invocation.getParameters()[1]).inferenceId());
    }

    @Override
    protected void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(PROVIDER, result.route().provider());
        span.setAttribute(ATTEMPTS, result.route().attempts());
    }

    private static ModelSettings model(InvocationContext invocation) {
        return (ModelSettings) invocation.getParameters()[0];
    }
}
