package dev.llmgateway.events;

import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One inference ended: answered whole, its stream ended (completely, broken or abandoned by the client), or every
 * provider it could try failed.
 *
 * @param provider        the provider that answered, or the last one tried; null when none was
 * @param attempts        provider calls made, across providers and retries
 * @param fellBack        answered by a provider other than the first its model routes the operation to
 * @param errorType       on {@link Outcome#ERROR}, the last failure's reason (or _OTHER); else null
 * @param usage           the tokens the answering provider reported, {@link Usage#UNKNOWN} where none
 * @param durationNanos   from the model's first attempt to the answer's last byte
 * @param firstChunkNanos for a stream that completed, from the model's first attempt to its first chunk; else -1
 * @param trace           the model span, whose sampled flag says whether the trace is kept
 */
public record InferenceEnded(Inference inference, String provider, int attempts, boolean fellBack, boolean streamed, Outcome outcome,
                             String errorType, Usage usage, long durationNanos, long firstChunkNanos, SpanContext trace) implements GatewayEvent {

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.inferenceEnded(this);
    }
}
