package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.StreamEnd;
import io.opentelemetry.api.trace.Span;


/** Watches a stream pass, to put what it learnt on the span when the stream ends. */
interface ChunkObserver {

    ChunkObserver NONE = new ChunkObserver() {
        @Override
        public void onChunk(Chunk chunk) {
        }

        @Override
        public void onEnd(Span span, StreamEnd end, Throwable failure) {
        }
    };

    void onChunk(Chunk chunk);

    /** @param failure what broke the stream, when {@code end} is ERROR */
    void onEnd(Span span, StreamEnd end, Throwable failure);
}
