package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.CompletionSummary;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.List;

/** A chat completion as Anthropic's whole message: text and tool calls as content blocks, the finish reason as a stop reason. */
final class MessageFromChat {

    private MessageFromChat() {
    }

    static Completion translate(Completion chat, String model) {
        JsonObject completion = chat.json();
        JsonObject choice = Json.array(completion, "choices").filter(c -> !c.isEmpty() && c.get(0) instanceof JsonObject)
                .map(c -> c.getJsonObject(0)).orElse(JsonValue.EMPTY_JSON_OBJECT);
        JsonObject message = Json.object(choice, "message").orElse(JsonValue.EMPTY_JSON_OBJECT);
        JsonArrayBuilder content = Json.array();
        Json.string(message, "content").filter(t -> !t.isEmpty()).ifPresent(t -> content.add(Json.object().add("type", "text").add("text", t)));
        for (JsonValue value : Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (value instanceof JsonObject call) {
                JsonObject function = Json.object(call, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
                content.add(Json.object().add("type", "tool_use").add("id", toolUseId(Json.string(call, "id").orElse("")))
                        .add("name", Json.string(function, "name").orElse("")).add("input", input(Json.string(function, "arguments").orElse(""))));
            }
        }
        String stopReason = stopReason(Json.string(choice, "finish_reason").orElse(null));
        Usage usage = chat.usage();
        JsonObjectBuilder answer = Json.object()
                .add("id", messageId(Json.string(completion, "id").orElse("")))
                .add("type", "message")
                .add("role", "assistant")
                .add("model", model)
                .add("content", content)
                .add("stop_reason", stopReason)
                .addNull("stop_sequence")
                .add("usage", usage(usage));
        byte[] bytes = Json.toBytes(answer.build());
        return Completion.of(bytes, new CompletionSummary(chat.summary().id(), chat.summary().model(), List.of(stopReason), usage));
    }

    /** Anthropic's usage from the gateway's: its input excludes the tokens read from or written to a prompt cache. */
    static JsonObject usage(Usage usage) {
        long cacheRead = Math.max(0, usage.cachedInputTokens());
        long cacheWrite = Math.max(0, usage.cacheWriteTokens());
        return Json.object()
                .add("input_tokens", Math.max(0, usage.inputTokens() - cacheRead - cacheWrite))
                .add("cache_creation_input_tokens", cacheWrite)
                .add("cache_read_input_tokens", cacheRead)
                .add("output_tokens", Math.max(0, usage.outputTokens()))
                .build();
    }

    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** A tool call's arguments as the block's input; text that is not an object (a model's slip) stays readable under one key. */
    static JsonObject input(String arguments) {
        if (arguments.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return Json.parseObject(arguments);
        } catch (JsonException | ClassCastException | IllegalStateException notAnObject) {
            return Json.object().add("arguments", arguments).build();
        }
    }

    static String messageId(String chatId) {
        return chatId.startsWith("msg_") ? chatId : "msg_" + chatId.replaceAll("[^A-Za-z0-9_-]", "");
    }

    static String toolUseId(String callId) {
        return callId.startsWith("toolu_") ? callId : "toolu_" + callId.replaceAll("[^A-Za-z0-9_-]", "");
    }
}
