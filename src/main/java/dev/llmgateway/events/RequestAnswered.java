package dev.llmgateway.events;

/**
 * An API request whose answer is out.
 *
 * @param endpoint      one of a fixed few (chat, embeddings, …, models, responses_stored, other), whatever path was asked for
 * @param keyName       the gateway key's name, empty without one
 * @param status        the HTTP status answered
 * @param durationNanos from receiving the request to writing its last byte, streams included
 * @param upstreamNanos of that, the time spent waiting on providers
 */
public record RequestAnswered(String endpoint, String keyName, int status, long durationNanos, long upstreamNanos) implements GatewayEvent {

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.requestAnswered(this);
    }
}
