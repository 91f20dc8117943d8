package dev.llmgateway.inference;

import dev.llmgateway.events.Outcome;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.StreamEnd;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.provider.WatchedChunkStream;

/** A model's streamed answer: its usage as it passes, and the inference's end announced when the stream ends, breaks or is abandoned. */
final class InferenceStream extends WatchedChunkStream {

    /** What the inference's end says, once the stream tells how it ended. */
    interface Ending {
        void ended(Outcome outcome, String errorType, Usage usage);
    }

    private final Ending ending;
    private Usage usage = Usage.UNKNOWN;

    InferenceStream(ChunkStream delegate, Ending ending) {
        super(delegate);
        this.ending = ending;
    }

    @Override
    protected void seen(Chunk chunk) {
        if (chunk.carriesUsage()) {
            usage = chunk.usage();
        }
    }

    @Override
    protected void ended(StreamEnd how, Throwable failure) {
        ending.ended(Outcomes.of(how), how == StreamEnd.ERROR ? ErrorTypes.inference(failure) : null, usage);
    }
}
