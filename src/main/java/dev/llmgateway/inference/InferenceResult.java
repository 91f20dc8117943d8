package dev.llmgateway.inference;

import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;

/**
 * What a step of the chain answered: a whole completion, or a stream whose first chunk has already arrived,
 * with the route it took.
 */
public record InferenceResult(String inferenceId, Route route, Completion completion, ChunkStream stream) {

    public boolean streamed() {
        return stream != null;
    }

    /** The same result read through another stream, e.g. one that observes the chunks. */
    public InferenceResult withStream(ChunkStream newStream) {
        return new InferenceResult(inferenceId, route, completion, newStream);
    }

    /** The same result with another whole answer, e.g. one an endpoint rewrote for its client. */
    public InferenceResult withCompletion(Completion newCompletion) {
        return new InferenceResult(inferenceId, route, newCompletion, stream);
    }
}
