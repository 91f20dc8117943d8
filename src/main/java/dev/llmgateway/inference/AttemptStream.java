package dev.llmgateway.inference;

import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.ChunkGaps;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.StreamEnd;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.provider.WatchedChunkStream;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.json.JsonObject;


/**
 * A provider's stream as its attempt sees it: the time spent waiting on it, the model and usage it reports, and the
 * gaps between output chunks (when a listener reads them); the attempt's end announced when the stream ends, breaks
 * or is abandoned.
 */
final class AttemptStream extends WatchedChunkStream {

    private final ProviderStep step;
    private final long startNanos;
    private final long firstChunkNanos;
    private final SpanContext trace;
    private final RequestState request;
    private final GatewayEvents events;
    private final ChunkGaps gaps;
    private long lastOutputAt;
    private String model;
    private Usage usage = Usage.UNKNOWN;

    AttemptStream(ChunkStream delegate, ProviderStep step, long startNanos, long firstChunkNanos, SpanContext trace, RequestState request,
                  GatewayEvents events) {
        super(delegate);
        this.step = step;
        this.startNanos = startNanos;
        this.firstChunkNanos = firstChunkNanos;
        this.trace = trace;
        this.request = request;
        this.events = events;
        this.gaps = events.measuresChunkGaps() ? ChunkGaps.measured() : ChunkGaps.NONE;
    }

    @Override
    protected void waited(long nanos) {
        if (request != null) {
            request.waitedUpstream(nanos);
        }
    }

    @Override
    protected void seen(Chunk chunk) {
        JsonObject json = chunk.json();
        if (model == null) {
            // a Responses API event carries its response's model in the response it wraps
            JsonObject envelope = json.get("response") instanceof JsonObject response ? response : json;
            model = Json.string(envelope, "model").filter(s -> !s.isEmpty()).orElse(null);
        }
        if (json.get("usage") instanceof JsonObject || chunk.carriesUsage()) {
            usage = chunk.usage();
        }
        if (gaps != ChunkGaps.NONE && chunk.carriesOutput()) {
            long now = System.nanoTime();
            if (lastOutputAt != 0) {
                gaps.add(now - lastOutputAt);
            }
            lastOutputAt = now;
        }
    }

    @Override
    protected void ended(StreamEnd how, Throwable failure) {
        events.announce(new AttemptEnded(step.inference(), step.settings().name(), step.request().model(), step.attempt(), true, Outcomes.of(how),
                how == StreamEnd.ERROR ? ErrorTypes.attempt(failure) : null, model, usage == null ? Usage.UNKNOWN : usage,
                System.nanoTime() - startNanos, firstChunkNanos, gaps, trace));
    }
}
