package dev.llmgateway.api;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.function.Consumer;

/** A Responses API stream that tells, once, the id of the response it carries (its first event names it). */
final class RememberedResponse implements ChunkStream {

    private final ChunkStream events;
    private Consumer<String> remember;

    RememberedResponse(ChunkStream events, Consumer<String> remember) {
        this.events = events;
        this.remember = remember;
    }

    @Override
    public Chunk next() throws ProviderException {
        Chunk event = events.next();
        if (remember != null && event != null && event.json().get("response") instanceof JsonObject response
                && response.get("id") instanceof JsonString id) {
            remember.accept(id.getString());
            remember = null;
        }
        return event;
    }

    @Override
    public void close() {
        events.close();
    }
}
