package dev.llmgateway.provider.responses;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The Responses API's {@code response} object around the output of a chat answer: its settings echoed from the
 * request as OpenAI echoes them, its status from the chat finish reason, its usage in the Responses API's names.
 */
final class ResponseObject {

    private ResponseObject() {
    }

    /**
     * @param status      {@code in_progress}, {@code completed} or {@code incomplete}
     * @param finish      the chat finish reason, or null while in progress
     * @param usage       the answer's usage, or null when not known (yet)
     */
    static JsonObject of(JsonObject request, String id, long createdAt, String model, String status, String finish, JsonArray output, Usage usage) {
        JsonObjectBuilder response = Json.object().add("id", id).add("object", "response").add("created_at", createdAt).add("status", status)
                .addNull("error").add("model", model).add("output", output)
                .add("parallel_tool_calls", request.getBoolean("parallel_tool_calls", true))
                .add("tool_choice", request.get("tool_choice") != null && request.get("tool_choice").getValueType() != JsonValue.ValueType.NULL
                        ? request.get("tool_choice") : Json.literal("auto"))
                .add("tools", request.get("tools") instanceof jakarta.json.JsonArray tools ? tools : JsonValue.EMPTY_JSON_ARRAY)
                .add("text", request.getOrDefault("text", Json.object().add("format", Json.object().add("type", "text")).build()))
                .add("truncation", "disabled").add("store", false)
                .add("metadata", request.get("metadata") instanceof JsonObject metadata ? metadata : JsonValue.EMPTY_JSON_OBJECT);
        for (String echoed : new String[]{"instructions", "temperature", "top_p", "max_output_tokens", "user", "previous_response_id", "reasoning"}) {
            JsonValue value = request.get(echoed);
            if (value == null) {
                response.addNull(echoed);
            } else {
                response.add(echoed, value);
            }
        }
        if ("incomplete".equals(status)) {
            response.add("incomplete_details", Json.object().add("reason", "content_filter".equals(finish) ? "content_filter" : "max_output_tokens"));
        } else {
            response.addNull("incomplete_details");
        }
        if (usage == null || !usage.known()) {
            response.addNull("usage");
        } else {
            response.add("usage", usage(usage));
        }
        return response.build();
    }

    /** A chat finish reason as the response's status: cut short is incomplete, anything else completed. */
    static String status(String finish) {
        return "length".equals(finish) || "content_filter".equals(finish) ? "incomplete" : "completed";
    }

    static JsonObject usage(Usage usage) {
        long input = Math.max(0, usage.inputTokens());
        long output = Math.max(0, usage.outputTokens());
        return Json.object().add("input_tokens", input)
                .add("input_tokens_details", Json.object().add("cached_tokens", Math.max(0, usage.cachedInputTokens())))
                .add("output_tokens", output)
                .add("output_tokens_details", Json.object().add("reasoning_tokens", Math.max(0, usage.reasoningTokens())))
                .add("total_tokens", input + output).build();
    }

    static JsonObject message(String id, String status, String text) {
        return Json.object().add("type", "message").add("id", id).add("status", status).add("role", "assistant")
                .add("content", text == null ? JsonValue.EMPTY_JSON_ARRAY : Json.array().add(textPart(text)).build()).build();
    }

    static JsonObject textPart(String text) {
        return Json.object().add("type", "output_text").add("text", text).add("annotations", JsonValue.EMPTY_JSON_ARRAY)
                .add("logprobs", JsonValue.EMPTY_JSON_ARRAY).build();
    }

    /** A function call item; a call to a function of one of the request's namespaces names it, as the client declared it. */
    static JsonObject functionCall(JsonObject request, String id, String status, String callId, String name, String arguments) {
        JsonObjectBuilder call = Json.object().add("type", "function_call").add("id", id).add("status", status).add("call_id", callId)
                .add("name", name);
        ToolsFromResponses.namespaceOf(request, name).ifPresent(namespace -> call.add("namespace", namespace));
        return call.add("arguments", arguments).build();
    }
}
