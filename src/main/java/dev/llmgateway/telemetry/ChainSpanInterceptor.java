package dev.llmgateway.telemetry;

import dev.llmgateway.inference.InferenceResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;

/**
 * Opens a span around one step of the inference chain and makes it current, so that the next step's span is
 * its child. The span ends on every path: when the step fails, when a whole answer returns, or, for a stream,
 * when the stream ends, fails or is abandoned. Subclasses read the step's one typed argument, never parameters
 * by position.
 *
 * @param <S> the step record the intercepted method takes
 */
abstract class ChainSpanInterceptor<S> {

    @Inject
    Tracer tracer;

    private final Class<S> stepType;

    protected ChainSpanInterceptor(Class<S> stepType) {
        this.stepType = stepType;
    }

    protected Object trace(InvocationContext invocation) throws Exception {
        S step = step(invocation);
        SpanBuilder builder = tracer.spanBuilder(name(step)).setSpanKind(kind());
        started(step, builder);
        Span span = builder.startSpan();
        long startNanos = System.nanoTime();
        InferenceResult result;
        try (Scope ignored = span.makeCurrent()) {
            result = (InferenceResult) invocation.proceed();
        } catch (Exception | Error failure) {
            Failures.record(span, failure);
            failed(step, span, failure, System.nanoTime() - startNanos);
            span.end();
            throw failure;
        }
        answered(step, span, result, System.nanoTime() - startNanos);
        if (result.streamed()) {
            return result.withStream(new TracedChunkStream(result.stream(), span, observer(step, result, startNanos)));
        }
        span.end();
        return result;
    }

    private S step(InvocationContext invocation) {
        for (Object parameter : invocation.getParameters()) {
            if (stepType.isInstance(parameter)) {
                return stepType.cast(parameter);
            }
        }
        throw new IllegalStateException(invocation.getMethod() + " takes no " + stepType.getSimpleName());
    }

    protected SpanKind kind() {
        return SpanKind.INTERNAL;
    }

    protected abstract String name(S step);

    /** Attributes known before the step runs. */
    protected abstract void started(S step, SpanBuilder span);

    /** Attributes known once the step has answered (for a stream: once its first chunk arrived). */
    protected abstract void answered(S step, Span span, InferenceResult result, long elapsedNanos);

    /** The step failed; the span is marked and about to end. */
    protected void failed(S step, Span span, Throwable failure, long elapsedNanos) {
    }

    /** Watches the stream of a streamed answer until it ends; the step started at {@code startNanos} (System.nanoTime). */
    protected ChunkObserver observer(S step, InferenceResult result, long startNanos) {
        return ChunkObserver.NONE;
    }
}
