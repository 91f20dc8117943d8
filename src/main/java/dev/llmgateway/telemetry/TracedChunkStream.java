package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.StreamEnd;
import dev.llmgateway.provider.WatchedChunkStream;
import io.opentelemetry.api.trace.Span;

/**
 * Ends a span when its stream ends, not when the method that opened the stream returned: after the last chunk
 * (status OK), on an upstream failure (ERROR), or when the stream is closed before its end, which is how a
 * client that went away shows (status left unset, {@code gateway.stream.end=cancelled}).
 */
final class TracedChunkStream extends WatchedChunkStream {

    private final Span span;
    private final ChunkObserver observer;

    TracedChunkStream(ChunkStream delegate, Span span, ChunkObserver observer) {
        super(delegate);
        this.span = span;
        this.observer = observer;
    }

    @Override
    protected void seen(Chunk chunk) {
        observer.onChunk(chunk);
    }

    @Override
    protected void ended(StreamEnd how, Throwable failure) {
        if (how == StreamEnd.ERROR) {
            Failures.record(span, failure);
        }
        span.setAttribute(SpanAttributes.HighCardinality.STREAM_END, how.label());
        observer.onEnd(span, how, failure);
        span.end();
    }
}
