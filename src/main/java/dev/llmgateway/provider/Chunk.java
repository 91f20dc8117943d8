package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/**
 * One streamed chat-completion chunk, parsed once.
 *
 * @param data the chunk's JSON text, written to the client as it is
 * @param json the same chunk, parsed
 */
public record Chunk(String data, JsonObject json) {

    public static Chunk of(JsonObject json) {
        return new Chunk(Json.toText(json), json);
    }

    /** The trailing chunk that carries only token usage (OpenAI's {@code stream_options.include_usage}). */
    public boolean isUsageOnly() {
        return json.get("usage") instanceof JsonObject
                && Json.array(json, "choices").map(c -> c.isEmpty()).orElse(true);
    }

    public Usage usage() {
        return Usage.of(json);
    }
}
