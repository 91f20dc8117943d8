package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Builds OpenAI chat-completion chunks (or legacy text-completion chunks), for providers that stream in another shape
 * or make their answers up.
 */
public final class ChatChunks {

    private final String id;
    private final long created;
    private final String model;
    private final boolean text;

    /** The envelope every chunk of one stream shares. */
    public ChatChunks(String id, long created, String model) {
        this(id, created, model, false);
    }

    /** @param text whether the chunks are legacy text completions: {@code text} in each choice instead of a delta */
    public ChatChunks(String id, long created, String model, boolean text) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.text = text;
    }

    /** A chunk with one choice: a delta and, on the last content chunk, a finish reason. */
    public Chunk choice(JsonObjectBuilder delta, String finishReason) {
        JsonObjectBuilder choice = Json.object().add("index", 0);
        if (text) {
            choice.add("text", Json.string(delta.build(), "content").orElse("")).addNull("logprobs");
        } else {
            choice.add("delta", delta);
        }
        if (finishReason == null) {
            choice.addNull("finish_reason");
        } else {
            choice.add("finish_reason", finishReason);
        }
        return Chunk.of(envelope().add("choices", Json.array().add(choice)).build());
    }

    /** The trailing chunk that carries only usage, as OpenAI sends it for {@code include_usage}. */
    public Chunk usage(JsonObject usage) {
        return Chunk.of(envelope().add("choices", Json.array()).add("usage", usage).build());
    }

    private JsonObjectBuilder envelope() {
        return Json.object().add("id", id).add("object", text ? "text_completion" : "chat.completion.chunk").add("created", created).add("model", model);
    }
}
