package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * A whole answer in OpenAI's chat-completion shape. Keeps the upstream's own bytes when it spoke OpenAI, so that
 * the client gets them unchanged and nothing is serialised twice; its tree is built only when asked for.
 */
public final class Completion {

    private final byte[] bytes;
    private final CompletionSummary summary;
    private JsonObject json;

    private Completion(byte[] bytes, CompletionSummary summary, JsonObject json) {
        this.bytes = bytes;
        this.summary = summary;
        this.json = json;
    }

    public static Completion of(JsonObject json) {
        String text = Json.toText(json);
        return new Completion(text.getBytes(StandardCharsets.UTF_8), CompletionSummary.read(text), json);
    }

    /** An upstream's answer as it came, in a shape of its own protocol, with what telemetry reads from it. */
    public static Completion of(byte[] utf8, CompletionSummary summary) {
        return new Completion(utf8, summary, null);
    }

    /** An upstream's answer as it came; throws JsonException when it is not one JSON object. */
    public static Completion parse(byte[] utf8) {
        return new Completion(utf8, CompletionSummary.read(Json.text(utf8)), null);
    }

    public byte[] bytes() {
        return bytes;
    }

    public CompletionSummary summary() {
        return summary;
    }

    /** The whole answer as a tree, parsed on first use: only content capture reads it. */
    public JsonObject json() {
        if (json == null) {
            json = Json.parseObject(bytes);
        }
        return json;
    }

    public Usage usage() {
        return summary.usage();
    }
}
