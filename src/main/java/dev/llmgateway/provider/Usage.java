package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/** Token counts of one answer, as the provider reported them; -1 where it reported nothing. */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {

    public static final Usage UNKNOWN = new Usage(-1, -1);

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, -1, -1);
    }

    /** From a parsed chunk or completion that may carry OpenAI's {@code usage} object. */
    static Usage of(JsonObject chatCompletion) {
        return Json.object(chatCompletion, "usage")
                .map(u -> new Usage(Json.integer(u, "prompt_tokens").orElse(-1), Json.integer(u, "completion_tokens").orElse(-1),
                        detail(u, "prompt_tokens_details", "cached_tokens"), detail(u, "completion_tokens_details", "reasoning_tokens")))
                .orElse(UNKNOWN);
    }

    private static long detail(JsonObject usage, String details, String name) {
        return Json.object(usage, details).map(d -> Json.integer(d, name).orElse(-1)).orElse(-1L);
    }
}
