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
        try {
            chunk = delegate.next();
        } catch (ProviderException e) {
            Failures.record(span, e);
            end("error");
            throw e;
        } catch (RuntimeException e) {
            Failures.record(span, e);
            end("error");
            throw e;
        }
        if (chunk == null) {
            end("complete");
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
            end("cancelled");
        }
    }

    private void end(String how) {
        if (!ended) {
            ended = true;
            span.setAttribute(SpanAttributes.HighCardinality.STREAM_END, how);
            observer.onEnd(span);
            span.end();
        }
    }
}
