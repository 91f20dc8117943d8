package dev.llmgateway.provider.responses;

import dev.llmgateway.provider.UntranslatableException;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Set;

/**
 * A Responses API request as a chat-completions request, for providers that only chat: {@code instructions} become
 * the system message, input items become messages (function calls and their outputs become tool calls and tool
 * messages), function tools become chat tools, {@code max_output_tokens} the completion limit, {@code text.format}
 * the response format. Anything without an equivalent is refused naming it.
 */
final class ChatFromResponses {

    /** Passed over: describe the call, not what the model does ({@code store} asks for state no chat provider keeps). */
    private static final Set<String> IGNORED = Set.of("model", "stream", "store", "metadata", "service_tier",
            "prompt_cache_key", "safety_identifier", "client_metadata");
    private static final Set<String> SAME_NAME = Set.of("temperature", "top_p", "user", "parallel_tool_calls", "top_logprobs");

    private ChatFromResponses() {
    }

    static JsonObject translate(JsonObject request) throws UntranslatableException {
        return translate(request, new java.util.TreeSet<>(), false);
    }


    /**
     * As {@link #translate(JsonObject)}, naming in {@code dropped} what only an OpenAI provider would use and chat cannot
     * carry: hosted tools (web search, file search, …), {@code reasoning}, {@code include}, earlier reasoning items.
     */
    static JsonObject translate(JsonObject request, Set<String> dropped, boolean refuseHostedTools) throws UntranslatableException {
        JsonObjectBuilder chat = Json.object();
        JsonArrayBuilder messages = Json.array();
        for (var field : request.entrySet()) {
            String key = field.getKey();
            JsonValue value = field.getValue();
            if (IGNORED.contains(key) || value.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            switch (key) {
                case "instructions" -> messages.add(Json.object().add("role", "system").add("content", string(value, key)));
                case "input" -> {
                    // after the instructions whatever the order of the fields
                }
                case "max_output_tokens" -> chat.add("max_completion_tokens", value);
                case "tools" -> {
                    JsonArray tools = ToolsFromResponses.tools(value, dropped, refuseHostedTools);
                    if (!tools.isEmpty()) {
                        chat.add("tools", tools);
                    }
                }
                case "tool_choice" -> chat.add("tool_choice", ToolsFromResponses.toolChoice(value));
                case "text" -> ToolsFromResponses.format(value).ifPresent(f -> chat.add("response_format", f));
                case "truncation" -> refuseUnless(value, "disabled", key);
                case "background" -> refuseUnlessFalse(value, key);
                case "include", "reasoning" -> {
                    if (!(value instanceof JsonArray a && a.isEmpty()) && !(value instanceof JsonObject o && o.isEmpty())) {
                        dropped.add(key); // asks for the model's reasoning, which a chat answer does not carry
                    }
                }
                case "previous_response_id", "conversation", "prompt" -> throw new UntranslatableException(key,
                        "'" + key + "' needs a provider that keeps responses; this model's provider answers over chat and keeps none");
                default -> {
                    if (!SAME_NAME.contains(key)) {
                        throw new UntranslatableException(key, "'" + key + "' has no equivalent for a provider that answers over chat");
                    }
                    chat.add(key, value);
                }
            }
        }
        input(request.get("input"), messages, dropped);
        return chat.add("messages", messages).build();
    }

    private static void input(JsonValue input, JsonArrayBuilder messages, Set<String> dropped) throws UntranslatableException {
        if (input == null || input.getValueType() == JsonValue.ValueType.NULL) {
            throw new UntranslatableException("input", "you must provide an input parameter");
        }
        if (input instanceof JsonString text) {
            messages.add(Json.object().add("role", "user").add("content", text.getString()));
            return;
        }
        if (!(input instanceof JsonArray items)) {
            throw new UntranslatableException("input", "'input' must be a string or an array of input items");
        }
        JsonArrayBuilder calls = null;
        for (int i = 0; i < items.size(); i++) {
            String param = "input[" + i + "]";
            if (!(items.get(i) instanceof JsonObject item)) {
                throw new UntranslatableException(param, "each input item must be an object");
            }
            String type = Json.string(item, "type").orElse("message");
            if (!type.equals("function_call") && calls != null) {
                messages.add(Json.object().add("role", "assistant").addNull("content").add("tool_calls", calls));
                calls = null;
            }
            switch (type) {
                case "message" -> messages.add(message(item, param));
                case "function_call" -> {
                    calls = calls == null ? Json.array() : calls;
                    calls.add(Json.object().add("id", required(item, "call_id", param)).add("type", "function")
                            .add("function", Json.object().add("name", required(item, "name", param)).add("arguments", required(item, "arguments", param))));
                }
                case "reasoning" -> dropped.add("reasoning items"); // an earlier turn's reasoning, readable only by the provider that wrote it
                case "function_call_output" -> messages.add(Json.object().add("role", "tool").add("tool_call_id", required(item, "call_id", param))
                        .add("content", output(item.get("output"), param + ".output")));
                default -> throw new UntranslatableException(param + ".type", "input items of type '" + type
                        + "' have no equivalent for a provider that answers over chat");
            }
        }
        if (calls != null) {
            messages.add(Json.object().add("role", "assistant").addNull("content").add("tool_calls", calls));
        }
    }

    private static JsonObject message(JsonObject item, String param) throws UntranslatableException {
        String role = required(item, "role", param);
        if (!Set.of("user", "assistant", "system", "developer").contains(role)) {
            throw new UntranslatableException(param + ".role", "a message's role is user, assistant, system or developer");
        }
        JsonValue content = item.get("content");
        if (content instanceof JsonString text) {
            return Json.object().add("role", role).add("content", text.getString()).build();
        }
        if (!(content instanceof JsonArray parts)) {
            throw new UntranslatableException(param + ".content", "a message's content is a string or an array of content parts");
        }
        JsonArrayBuilder chatParts = Json.array();
        for (int j = 0; j < parts.size(); j++) {
            String at = param + ".content[" + j + "]";
            if (!(parts.get(j) instanceof JsonObject part)) {
                throw new UntranslatableException(at, "each content part must be an object");
            }
            String type = Json.string(part, "type").orElse("");
            switch (type) {
                case "input_text", "output_text" -> chatParts.add(Json.object().add("type", "text").add("text", required(part, "text", at)));
                case "input_image" -> {
                    if (role.equals("assistant")) {
                        throw new UntranslatableException(at + ".type", "an assistant message carries text only over chat");
                    }
                    if (!(part.get("image_url") instanceof JsonString url)) {
                        throw new UntranslatableException(at, "only images given by 'image_url' can be sent over chat");
                    }
                    JsonObjectBuilder image = Json.object().add("url", url.getString());
                    Json.string(part, "detail").ifPresent(d -> image.add("detail", d));
                    chatParts.add(Json.object().add("type", "image_url").add("image_url", image));
                }
                default -> throw new UntranslatableException(at + ".type", "content parts of type '" + type
                        + "' have no equivalent for a provider that answers over chat");
            }
        }
        // assistant history travels as plain text: chat takes no parts from the assistant
        if (role.equals("assistant")) {
            StringBuilder text = new StringBuilder();
            for (JsonValue part : chatParts.build()) {
                text.append(((JsonObject) part).getString("text", ""));
            }
            return Json.object().add("role", role).add("content", text.toString()).build();
        }
        return Json.object().add("role", role).add("content", chatParts).build();
    }

    private static String output(JsonValue output, String param) throws UntranslatableException {
        if (output instanceof JsonString text) {
            return text.getString();
        }
        throw new UntranslatableException(param, "a function call's output is sent over chat as a string");
    }

    private static void refuseUnless(JsonValue value, String allowed, String param) throws UntranslatableException {
        if (!(value instanceof JsonString s && s.getString().equals(allowed))) {
            throw new UntranslatableException(param, "'" + param + "' has no equivalent for a provider that answers over chat");
        }
    }

    private static void refuseUnlessFalse(JsonValue value, String param) throws UntranslatableException {
        if (value.getValueType() != JsonValue.ValueType.FALSE) {
            throw new UntranslatableException(param, "'" + param + "' needs a provider that keeps responses; this model's provider answers over chat");
        }
    }

    private static String string(JsonValue value, String param) throws UntranslatableException {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new UntranslatableException(param, "'" + param + "' must be a string");
    }

    static String required(JsonObject object, String key, String param) throws UntranslatableException {
        if (object.get(key) instanceof JsonString s) {
            return s.getString();
        }
        throw new UntranslatableException(param + "." + key, "'" + key + "' must be a string");
    }
}
