package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Chunk;
import io.opentelemetry.api.trace.Span;

/** Watches a stream pass, to put what it learnt on the span when the stream ends. */
interface ChunkObserver {

    ChunkObserver NONE = new ChunkObserver() {
        @Override
        public void onChunk(Chunk chunk) {
        }

        @Override
        public void onEnd(Span span) {
        }
    };

    void onChunk(Chunk chunk);

    void onEnd(Span span);
}
