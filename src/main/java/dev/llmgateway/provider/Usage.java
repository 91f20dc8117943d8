package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

/**
 * Token counts of one answer, as the provider reported them; -1 where it reported nothing. In OpenAI's sense:
 * {@code inputTokens} includes the cached ones (read and written), {@code outputTokens} the reasoning ones.
 *
 * @param cachedInputTokens input tokens read from the provider's prompt cache
 * @param cacheWriteTokens  input tokens written to it (Anthropic reports them; OpenAI does not)
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens, long cacheWriteTokens) {

    /** The usage field naming the tokens written to a prompt cache, as Anthropic names them. */
    public static final String CACHE_WRITE = "cache_creation_input_tokens";

    public static final Usage UNKNOWN = new Usage(-1, -1);

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, -1, -1);
    }

    public Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {
        this(inputTokens, outputTokens, cachedInputTokens, reasoningTokens, -1);
    }

    /**
     * From a parsed chunk or completion that may carry a {@code usage} object: chat's names ({@code prompt_tokens}) or the
     * Responses API's ({@code input_tokens}).
     */
    public static Usage of(JsonObject answer) {
        return Json.object(answer, "usage").map(u -> u.containsKey("input_tokens") || u.containsKey("output_tokens")
                        ? new Usage(Json.integer(u, "input_tokens").orElse(-1), Json.integer(u, "output_tokens").orElse(-1),
                        detail(u, "input_tokens_details", "cached_tokens"), detail(u, "output_tokens_details", "reasoning_tokens"),
                        Json.integer(u, CACHE_WRITE).orElse(-1))
                        : new Usage(Json.integer(u, "prompt_tokens").orElse(-1), Json.integer(u, "completion_tokens").orElse(-1),
                        detail(u, "prompt_tokens_details", "cached_tokens"), detail(u, "completion_tokens_details", "reasoning_tokens"),
                        Json.integer(u, CACHE_WRITE).orElse(-1)))
                .orElse(UNKNOWN);
    }

    /** Whether the provider reported any count. */
    public boolean known() {
        return inputTokens >= 0 || outputTokens >= 0;
    }

    private static long detail(JsonObject usage, String details, String name) {
        return Json.object(usage, details).map(d -> Json.integer(d, name).orElse(-1)).orElse(-1L);
    }
}
