package dev.llmgateway.events;

import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One call to one provider ended: answered whole, its stream ended (completely, broken or abandoned by the client),
 * or failed.
 *
 * @param provider        the configured provider's name
 * @param requestModel    the model name sent upstream
 * @param attempt         1 for the inference's first call, counting across providers
 * @param errorType       on {@link Outcome#ERROR}, the failure's reason (timeout, rate_limited, …, or error); else null
 * @param responseModel   the model the upstream says answered, or null
 * @param usage           the tokens the upstream reported, {@link Usage#UNKNOWN} where none
 * @param durationNanos   from the call to its last byte
 * @param firstChunkNanos for a stream, from the call to its first chunk; else -1
 * @param chunkGaps       for a stream, the times between output chunks after the first, when a listener reads them; else none
 * @param trace           the attempt's span
 */
public record AttemptEnded(Inference inference, String provider, String requestModel, int attempt, boolean streamed, Outcome outcome,
                           String errorType, String responseModel, Usage usage, long durationNanos, long firstChunkNanos, ChunkGaps chunkGaps,
                           SpanContext trace) implements GatewayEvent {

    /** The outcome as a metric label: success, cancelled, or the failure's reason. */
    public String outcomeLabel() {
        return outcome == Outcome.ERROR ? errorType : outcome.label();
    }

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.attemptEnded(this);
    }
}
