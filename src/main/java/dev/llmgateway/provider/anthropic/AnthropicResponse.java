package dev.llmgateway.provider.anthropic;

import java.util.List;
import dev.llmgateway.provider.CompletionSummary;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** Translates Anthropic's answers (whole messages, usage, stop reasons) into OpenAI's shapes. */
final class AnthropicResponse {

    private AnthropicResponse() {
    }

    static JsonObject completion(JsonObject message) {
        StringBuilder text = new StringBuilder();
        JsonArrayBuilder toolCalls = Json.array();
        boolean hasToolCalls = false;
        for (JsonValue value : Json.array(message, "content").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            JsonObject block = (JsonObject) value;
            switch (Json.string(block, "type").orElse("")) {
                case "text" -> text.append(Json.string(block, "text").orElse(""));
                case "tool_use" -> {
                    hasToolCalls = true;
                    toolCalls.add(Json.object().add("id", Json.string(block, "id").orElse("")).add("type", "function")
                            .add("function", Json.object().add("name", Json.string(block, "name").orElse(""))
                                    .add("arguments", Json.toText(Json.object(block, "input").orElse(JsonValue.EMPTY_JSON_OBJECT)))));
                }
                default -> {
                    // thinking and other block types have no OpenAI equivalent in a chat completion
                }
            }
        }
        JsonObjectBuilder reply = Json.object().add("role", "assistant");
        if (text.length() > 0 || !hasToolCalls) {
            reply.add("content", text.toString());
        } else {
            reply.addNull("content");
        }
        if (hasToolCalls) {
            reply.add("tool_calls", toolCalls);
        }
        return Json.object()
                .add("id", Json.string(message, "id").orElse(""))
                .add("object", "chat.completion")
                .add("created", System.currentTimeMillis() / 1000)
                .add("model", Json.string(message, "model").orElse(""))
                .add("choices", Json.array().add(Json.object().add("index", 0).add("message", reply)
                        .add("finish_reason", finishReason(Json.string(message, "stop_reason").orElse(null)))))
                .add("usage", usage(Json.object(message, "usage").orElse(JsonValue.EMPTY_JSON_OBJECT), -1))
                .build();
    }

    /** What telemetry reads from a whole message, its usage in the gateway's terms (cache reads and writes inside the input). */
    static CompletionSummary summary(JsonObject message) {
        JsonObject usage = Json.object(message, "usage").orElse(JsonValue.EMPTY_JSON_OBJECT);
        return new CompletionSummary(Json.string(message, "id").orElse(null), Json.string(message, "model").orElse(null),
                Json.string(message, "stop_reason").map(List::of).orElse(List.of()),
                usage.isEmpty() ? Usage.UNKNOWN : AnthropicEventStream.usage(usage, JsonValue.EMPTY_JSON_OBJECT));
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * OpenAI counts cached prompt tokens inside {@code prompt_tokens}; Anthropic counts them apart. The tokens written to
     * the cache, which OpenAI's shape has no field for, keep Anthropic's name beside them (as LiteLLM writes them).
     *
     * @param outputTokens the output count when it arrived separately (streams), else -1
     */
    static JsonObject usage(JsonObject usage, long outputTokens) {
        long cacheRead = Json.integer(usage, "cache_read_input_tokens").orElse(0);
        long cacheWrite = Json.integer(usage, Usage.CACHE_WRITE).orElse(0);
        long input = Json.integer(usage, "input_tokens").orElse(0) + cacheRead + cacheWrite;
        long output = outputTokens >= 0 ? outputTokens : Json.integer(usage, "output_tokens").orElse(0);
        JsonObjectBuilder translated = Json.object()
                .add("prompt_tokens", input)
                .add("completion_tokens", output)
                .add("total_tokens", input + output)
                .add("prompt_tokens_details", Json.object().add("cached_tokens", cacheRead));
        if (usage.containsKey(Usage.CACHE_WRITE)) {
            translated.add(Usage.CACHE_WRITE, cacheWrite);
        }
        return translated.build();
    }
}
