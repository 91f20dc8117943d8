package dev.llmgateway.inference;

import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.ChunkGaps;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** One call to one provider: the unit of fallback, of the provider span and of {@link AttemptEnded}. */
@ApplicationScoped
public class ProviderAttempt {

    @Inject
    GatewayEvents events;

    @ProviderSpan
    public InferenceResult call(ProviderStep step) throws ProviderException {
        ProviderRequest request = step.request();
        SpanContext trace = Span.current().getSpanContext();
        RequestState state = RequestState.current();
        long start = System.nanoTime();
        try {
            if (request.stream()) {
                ChunkStream stream = PeekedChunkStream.open(step.provider().stream(request));
                long firstChunk = waited(state, start);
                return new InferenceResult(step.inference().inferenceId(), step.route(), null,
                        new AttemptStream(stream, step, start, firstChunk, trace, state, events));
            }
            Completion completion = step.provider().complete(request);
            long nanos = waited(state, start);
            events.announce(ended(step, Outcome.SUCCESS, null, completion.summary().model(), completion.usage(), nanos, trace));
            return new InferenceResult(step.inference().inferenceId(), step.route(), completion, null);
        } catch (ProviderException | RuntimeException | Error failure) {
            long nanos = waited(state, start);
            events.announce(ended(step, Outcome.ERROR, ErrorTypes.attempt(failure), null, Usage.UNKNOWN, nanos, trace));
            throw failure;
        }
    }

    private static AttemptEnded ended(ProviderStep step, Outcome outcome, String errorType, String model, Usage usage, long nanos, SpanContext trace) {
        return new AttemptEnded(step.inference(), step.settings().name(), step.request().model(), step.attempt(), false, outcome, errorType, model,
                usage, nanos, -1, ChunkGaps.NONE, trace);
    }

    /** The time since {@code start}, counted as the request's wait on providers. */
    private static long waited(RequestState state, long start) {
        long nanos = System.nanoTime() - start;
        if (state != null) {
            state.waitedUpstream(nanos);
        }
        return nanos;
    }
}
