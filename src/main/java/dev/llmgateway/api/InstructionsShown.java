package dev.llmgateway.api;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A Responses API answer with the client's own {@code instructions} in its {@code response} objects, in place of
 * those a function's variant sent upstream: the variant's prompt is the operator's, not the client's to read.
 */
final class InstructionsShown implements ChunkStream {

    private final ChunkStream events;
    private final JsonValue own;

    InstructionsShown(ChunkStream events, JsonValue own) {
        this.events = events;
        this.own = own;
    }

    static JsonObject restore(JsonObject response, JsonValue own) {
        return response.containsKey("instructions") ? Json.object(response).add("instructions", own).build() : response;
    }

    @Override
    public Chunk next() throws ProviderException {
        Chunk event = events.next();
        if (event != null && event.json().get("response") instanceof JsonObject response && response.containsKey("instructions")) {
            return Chunk.of(Json.object(event.json()).add("response", restore(response, own)).build());
        }
        return event;
    }

    @Override
    public void close() {
        events.close();
    }
}
