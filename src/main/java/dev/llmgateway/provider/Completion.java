package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/**
 * A whole answer in OpenAI's chat-completion shape. Keeps the upstream's own bytes when it spoke OpenAI,
 * so that the client gets them unchanged and nothing is serialised twice.
 */
public final class Completion {

    private final JsonObject json;
    private final byte[] raw;

    private Completion(JsonObject json, byte[] raw) {
        this.json = json;
        this.raw = raw;
    }

    public static Completion of(JsonObject json) {
        return new Completion(json, null);
    }

    public static Completion passthrough(JsonObject json, byte[] raw) {
        return new Completion(json, raw);
    }

    public JsonObject json() {
        return json;
    }

    public byte[] bytes() {
        return raw != null ? raw : Json.toBytes(json);
    }

    public Usage usage() {
        return Usage.of(json);
    }
}
