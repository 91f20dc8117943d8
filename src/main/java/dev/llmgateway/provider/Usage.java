package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/** Token counts of one answer, as the provider reported them; -1 where it reported nothing. */
public record Usage(long inputTokens, long outputTokens) {

    public static final Usage UNKNOWN = new Usage(-1, -1);

    static Usage of(JsonObject chatCompletion) {
        return Json.object(chatCompletion, "usage")
                .map(u -> new Usage(Json.integer(u, "prompt_tokens").orElse(-1), Json.integer(u, "completion_tokens").orElse(-1)))
                .orElse(UNKNOWN);
    }
}
