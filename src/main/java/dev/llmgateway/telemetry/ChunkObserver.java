package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Chunk;
import io.opentelemetry.api.trace.Span;

import java.util.Locale;

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

    /** How a stream ended. */
    enum StreamEnd {
        COMPLETE, ERROR, CANCELLED;

        String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    void onChunk(Chunk chunk);

    /** Time spent waiting for the next chunk. */
    default void onWait(long nanos) {
    }

    /** @param failure what broke the stream, when {@code end} is ERROR */
    void onEnd(Span span, StreamEnd end, Throwable failure);
}
