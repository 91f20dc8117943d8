package dev.llmgateway.events;

/**
 * A consumer of what the gateway did: an application-scoped bean implementing this is found once at startup and told
 * every event, after the request's answer is out. It overrides what it listens to; it must not block for long, and
 * whatever it throws is counted and logged as an unexpected failure, never seen by the client.
 */
public interface GatewayListener {

    default void attemptEnded(AttemptEnded attempt) {
    }

    default void inferenceEnded(InferenceEnded inference) {
    }

    default void requestAnswered(RequestAnswered request) {
    }

    default void callRefused(CallRefused refusal) {
    }

    default void unexpectedFailure(UnexpectedFailure failure) {
    }

    default void limitRefused(LimitRefused refusal) {
    }

    /** Whether this listener reads {@link AttemptEnded#chunkGaps()}; they are only measured when one does. */
    default boolean readsChunkGaps() {
        return false;
    }
}
