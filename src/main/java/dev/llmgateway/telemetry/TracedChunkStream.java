package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import io.opentelemetry.api.trace.Span;

/**
 * Ends a span when its stream ends, not when the method that opened the stream returned: after the last chunk
 * (status OK), on an upstream failure (ERROR), or when the stream is closed before its end, which is how a
 * client that went away shows (status left unset, {@code gateway.stream.end=cancelled}).
 */
final class TracedChunkStream implements ChunkStream {

    private final ChunkStream delegate;
    private final Span span;
    private final ChunkObserver observer;
    private boolean ended;

    TracedChunkStream(ChunkStream delegate, Span span, ChunkObserver observer) {
        this.delegate = delegate;
        this.span = span;
        this.observer = observer;
    }

    @Override
    public Chunk next() throws ProviderException {
        Chunk chunk;
        long start = System.nanoTime();
        try {
            chunk = delegate.next();
        } catch (ProviderException | RuntimeException e) {
            observer.onWait(System.nanoTime() - start);
            Failures.record(span, e);
            end(ChunkObserver.StreamEnd.ERROR, e);
            throw e;
        }
        observer.onWait(System.nanoTime() - start);
        if (chunk == null) {
            end(ChunkObserver.StreamEnd.COMPLETE, null);
        } else {
            observer.onChunk(chunk);
        }
        return chunk;
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            end(ChunkObserver.StreamEnd.CANCELLED, null);
        }
    }

    private void end(ChunkObserver.StreamEnd how, Throwable failure) {
        if (!ended) {
            ended = true;
            span.setAttribute(SpanAttributes.HighCardinality.STREAM_END, how.attribute());
            observer.onEnd(span, how, failure);
            span.end();
        }
    }
}
