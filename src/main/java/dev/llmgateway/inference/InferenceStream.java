package dev.llmgateway.inference;

import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.Usage;

/** A model's streamed answer: its usage as it passes, and the inference's end announced when the stream ends, breaks or is abandoned. */
final class InferenceStream implements ChunkStream {

    /** What the inference's end says, once the stream tells how it ended. */
    interface Ending {
        InferenceEnded ended(Outcome outcome, String errorType, Usage usage);
    }

    private final ChunkStream delegate;
    private final Ending ending;
    private final Runnable closed;
    private Usage usage = Usage.UNKNOWN;
    private boolean ended;

    InferenceStream(ChunkStream delegate, Ending ending, Runnable closed) {
        this.delegate = delegate;
        this.ending = ending;
        this.closed = closed;
    }

    @Override
    public Chunk next() throws ProviderException {
        Chunk chunk;
        try {
            chunk = delegate.next();
        } catch (ProviderException | RuntimeException e) {
            end(Outcome.ERROR, ErrorTypes.inference(e));
            throw e;
        }
        if (chunk == null) {
            end(Outcome.SUCCESS, null);
        } else if (chunk.carriesUsage()) {
            usage = chunk.usage();
        }
        return chunk;
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            end(Outcome.CANCELLED, null);
        }
    }

    private void end(Outcome outcome, String errorType) {
        if (!ended) {
            ended = true;
            closed.run();
            ending.ended(outcome, errorType, usage);
        }
    }
}
