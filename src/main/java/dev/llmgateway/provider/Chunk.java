package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/**
 * One streamed chunk (a chat or text-completion chunk, or a Responses API event), parsed once.
 *
 * @param data the chunk's JSON text, written to the client as it is
 * @param json the same chunk, parsed
 * @param reported the answer's usage as the stream's reader summed it up to this chunk, where the provider spreads it over
 *                 several events (Anthropic's message_start and message_delta); null where the chunk speaks for itself
 */
public record Chunk(String data, JsonObject json, Usage reported) {

    /** Data that spans lines (legal in an upstream's event) is written again on one: it is sent on as a single data line. */
    public Chunk {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            data = Json.toText(json);
        }
    }

    public Chunk(String data, JsonObject json) {
        this(data, json, null);
    }

    public static Chunk of(JsonObject json) {
        return new Chunk(Json.toText(json), json);
    }

    /** The trailing chunk that carries only token usage (OpenAI's {@code stream_options.include_usage}). */
    public boolean isUsageOnly() {
        return json.get("usage") instanceof JsonObject
                && Json.array(json, "choices").map(c -> c.isEmpty()).orElse(true);
    }

    /**
     * Whether this chunk reports the answer's usage: chat's trailing usage-only chunk, or the Responses API's closing
     * event ({@code response.completed}, {@code response.incomplete}) with the whole response.
     */
    public boolean carriesUsage() {
        return reported != null || isUsageOnly() || (json.get("response") instanceof JsonObject response && response.get("usage") instanceof JsonObject);
    }

    public Usage usage() {
        if (reported != null) {
            return reported;
        }
        return json.get("response") instanceof JsonObject response && !json.containsKey("usage") ? Usage.of(response) : Usage.of(json);
    }

    /**
     * Whether this chunk carries some of the answer: text or tool-call arguments of a chat or text-completion choice,
     * or a Responses API delta. Roles, finish reasons, usage and the events that open or close an item carry none.
     */
    public boolean carriesOutput() {
        String type = eventType();
        if (type != null) {
            return type.endsWith(".delta") || "content_block_delta".equals(type);
        }
        for (jakarta.json.JsonValue value : Json.array(json, "choices").orElse(jakarta.json.JsonValue.EMPTY_JSON_ARRAY)) {
            if (value instanceof JsonObject choice) {
                JsonObject delta = Json.object(choice, "delta").orElse(jakarta.json.JsonValue.EMPTY_JSON_OBJECT);
                if (Json.string(delta, "content").filter(c -> !c.isEmpty()).isPresent() || delta.containsKey("tool_calls")
                        || Json.string(choice, "text").filter(t -> !t.isEmpty()).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The Responses API's event type ({@code response.output_text.delta}), or null for a chat chunk. */
    public String eventType() {
        return json.get("type") instanceof jakarta.json.JsonString type ? type.getString() : null;
    }
}
