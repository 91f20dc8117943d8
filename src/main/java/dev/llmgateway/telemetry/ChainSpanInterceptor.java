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
 * when the stream ends, fails or is abandoned.
 */
abstract class ChainSpanInterceptor {

    @Inject
    Tracer tracer;

    protected Object trace(InvocationContext invocation) throws Exception {
        SpanBuilder builder = tracer.spanBuilder(name(invocation)).setSpanKind(kind());
        started(invocation, builder);
        Span span = builder.startSpan();
        long startNanos = System.nanoTime();
        InferenceResult result;
        try (Scope ignored = span.makeCurrent()) {
            result = (InferenceResult) invocation.proceed();
        } catch (Exception | Error failure) {
            Failures.record(span, failure);
            failed(invocation, span, failure, System.nanoTime() - startNanos);
            span.end();
            throw failure;
        }
        answered(invocation, span, result, System.nanoTime() - startNanos);
        if (result.streamed()) {
            return result.withStream(new TracedChunkStream(result.stream(), span, observer(invocation, result)));
        }
        span.end();
        return result;
    }

    protected SpanKind kind() {
        return SpanKind.INTERNAL;
    }

    protected abstract String name(InvocationContext invocation);

    /** Attributes known before the step runs. */
    protected abstract void started(InvocationContext invocation, SpanBuilder span);

    /** Attributes known once the step has answered (for a stream: once its first chunk arrived). */
    protected abstract void answered(InvocationContext invocation, Span span, InferenceResult result, long elapsedNanos);

    /** The step failed; the span is marked and about to end. */
    protected void failed(InvocationContext invocation, Span span, Throwable failure, long elapsedNanos) {
    }

    /** Watches the stream of a streamed answer until it ends. */
    protected ChunkObserver observer(InvocationContext invocation, InferenceResult result) {
        return ChunkObserver.NONE;
    }
}
