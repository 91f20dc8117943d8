package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.UntranslatableException;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An Anthropic Messages request as a chat-completions request, for a provider that only chats. System blocks become
 * the system message; text and images become content parts; {@code tool_use} blocks the assistant's tool calls and
 * {@code tool_result} blocks tool messages; tools, tool choice, stop sequences and sampling map one to one. What only
 * tunes Anthropic's own service ({@code cache_control}, {@code thinking}, {@code metadata}, {@code context_management},
 * {@code top_k}, server tools, earlier thinking blocks) is left out and named in {@link #dropped()}; what would change
 * the answer and has no equivalent (a document block) is refused, naming the field.
 */
final class ChatFromMessages {

    private final Set<String> dropped = new TreeSet<>();
    private final boolean refuseHostedTools;

    ChatFromMessages() {
        this(false);
    }

    /** @param refuseHostedTools whether a server tool (web search, code execution) is a 400 rather than left out and named */
    ChatFromMessages(boolean refuseHostedTools) {
        this.refuseHostedTools = refuseHostedTools;
    }

    /** The fields left out of the last translation, by path ({@code cache_control}, {@code tools[3]}, {@code thinking}). */
    Set<String> dropped() {
        return dropped;
    }

    JsonObject translate(JsonObject request, boolean stream) throws UntranslatableException {
        JsonObjectBuilder chat = Json.object();
        JsonArrayBuilder messages = Json.array();
        system(request.get("system"), messages);
        JsonArray turns = Json.array(request, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY);
        for (int i = 0; i < turns.size(); i++) {
            turn(turns.get(i), "messages[" + i + "]", messages);
        }
        chat.add("messages", messages);
        for (var member : request.entrySet()) {
            String key = member.getKey();
            JsonValue value = member.getValue();
            if (value.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            switch (key) {
                case "model", "messages", "system", "stream" -> {
                }
                case "max_tokens" -> chat.add("max_completion_tokens", value);
                case "temperature", "top_p" -> chat.add(key, value);
                case "stop_sequences" -> chat.add("stop", value);
                case "tools" -> tools(value, chat);
                case "tool_choice" -> toolChoice(value, chat);
                default -> dropped.add(key); // it tunes Anthropic's own service (metadata, thinking, context_management, top_k)
            }
        }
        chat.add("stream", stream);
        if (stream) {
            chat.add("stream_options", Json.object().add("include_usage", true));
        }
        return chat.build();
    }

    private void system(JsonValue system, JsonArrayBuilder messages) throws UntranslatableException {
        if (system == null || system.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        if (system instanceof JsonString text) {
            messages.add(Json.object().add("role", "system").add("content", text.getString()));
            return;
        }
        if (!(system instanceof JsonArray blocks)) {
            throw new UntranslatableException("system", "'system' must be a string or an array of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject block = block(blocks.get(i), "system[" + i + "]");
            if (!"text".equals(type(block))) {
                throw new UntranslatableException("system[" + i + "]", "system blocks must be text blocks");
            }
            noteCacheControl(block);
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(Json.string(block, "text").orElse(""));
        }
        messages.add(Json.object().add("role", "system").add("content", text.toString()));
    }

    private void turn(JsonValue value, String param, JsonArrayBuilder messages) throws UntranslatableException {
        JsonObject turn = block(value, param);
        String role = Json.string(turn, "role").orElse("");
        JsonValue content = turn.get("content");
        if (content instanceof JsonString text) {
            messages.add(Json.object().add("role", role).add("content", text.getString()));
            return;
        }
        if (!(content instanceof JsonArray blocks)) {
            throw new UntranslatableException(param + ".content", "'content' must be a string or an array of content blocks");
        }
        if ("assistant".equals(role)) {
            assistant(blocks, param, messages);
        } else {
            user(blocks, param, messages);
        }
    }

    private void assistant(JsonArray blocks, String param, JsonArrayBuilder messages) throws UntranslatableException {
        StringBuilder text = new StringBuilder();
        JsonArrayBuilder calls = Json.array();
        boolean anyCall = false;
        for (int i = 0; i < blocks.size(); i++) {
            String at = param + ".content[" + i + "]";
            JsonObject block = block(blocks.get(i), at);
            noteCacheControl(block);
            switch (type(block)) {
                case "text" -> text.append(Json.string(block, "text").orElse(""));
                case "tool_use", "server_tool_use" -> {
                    anyCall = true;
                    JsonValue input = block.getOrDefault("input", JsonValue.EMPTY_JSON_OBJECT);
                    calls.add(Json.object().add("id", Json.string(block, "id").orElse("")).add("type", "function")
                            .add("function", Json.object().add("name", Json.string(block, "name").orElse(""))
                                    .add("arguments", input instanceof JsonObject o ? Json.toText(o) : "{}")));
                }
                case "thinking", "redacted_thinking" -> dropped.add("thinking blocks");
                default -> throw new UntranslatableException(at, "an assistant block of type '" + type(block) + "' has no equivalent for a provider that answers over chat");
            }
        }
        JsonObjectBuilder message = Json.object().add("role", "assistant");
        if (!text.isEmpty() || !anyCall) {
            message.add("content", text.toString());
        } else {
            message.addNull("content");
        }
        if (anyCall) {
            message.add("tool_calls", calls);
        }
        messages.add(message);
    }

    /** A user turn: its tool results first, as the tool messages chat expects right after the calls, then the rest. */
    private void user(JsonArray blocks, String param, JsonArrayBuilder messages) throws UntranslatableException {
        List<JsonObject> parts = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String at = param + ".content[" + i + "]";
            JsonObject block = block(blocks.get(i), at);
            noteCacheControl(block);
            switch (type(block)) {
                case "text" -> parts.add(Json.object().add("type", "text").add("text", Json.string(block, "text").orElse("")).build());
                case "image" -> parts.add(image(block, at));
                case "tool_result" -> messages.add(Json.object().add("role", "tool").add("tool_call_id", Json.string(block, "tool_use_id").orElse(""))
                        .add("content", toolResult(block, at)));
                default -> throw new UntranslatableException(at, "a user block of type '" + type(block) + "' has no equivalent for a provider that answers over chat");
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        if (parts.stream().allMatch(p -> "text".equals(type(p)))) {
            StringBuilder text = new StringBuilder();
            for (JsonObject part : parts) {
                text.append(text.isEmpty() ? "" : "\n").append(Json.string(part, "text").orElse(""));
            }
            messages.add(Json.object().add("role", "user").add("content", text.toString()));
            return;
        }
        JsonArrayBuilder content = Json.array();
        parts.forEach(content::add);
        messages.add(Json.object().add("role", "user").add("content", content));
    }

    private String toolResult(JsonObject block, String param) throws UntranslatableException {
        JsonValue content = block.get("content");
        String text;
        if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
            text = "";
        } else if (content instanceof JsonString s) {
            text = s.getString();
        } else if (content instanceof JsonArray parts) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                JsonObject part = block(parts.get(i), param + ".content[" + i + "]");
                noteCacheControl(part);
                if (!"text".equals(type(part))) {
                    throw new UntranslatableException(param + ".content[" + i + "]", "a tool result over chat can hold text only");
                }
                joined.append(joined.isEmpty() ? "" : "\n").append(Json.string(part, "text").orElse(""));
            }
            text = joined.toString();
        } else {
            throw new UntranslatableException(param + ".content", "a tool result's content must be a string or an array of blocks");
        }
        return block.getBoolean("is_error", false) ? "Error: " + text : text;
    }

    private static JsonObject image(JsonObject block, String param) throws UntranslatableException {
        JsonObject source = Json.object(block, "source").orElseThrow(() -> new UntranslatableException(param + ".source", "an image needs a source"));
        String url = switch (Json.string(source, "type").orElse("")) {
            case "base64" -> "data:" + Json.string(source, "media_type").orElse("image/png") + ";base64," + Json.string(source, "data").orElse("");
            case "url" -> Json.string(source, "url").orElse("");
            default -> throw new UntranslatableException(param + ".source", "an image over chat is sent as base64 data or a URL");
        };
        return Json.object().add("type", "image_url").add("image_url", Json.object().add("url", url)).build();
    }

    private void tools(JsonValue value, JsonObjectBuilder chat) throws UntranslatableException {
        if (!(value instanceof JsonArray tools)) {
            throw new UntranslatableException("tools", "'tools' must be an array");
        }
        JsonArrayBuilder functions = Json.array();
        int kept = 0;
        for (int i = 0; i < tools.size(); i++) {
            JsonObject tool = block(tools.get(i), "tools[" + i + "]");
            String type = Json.string(tool, "type").orElse("custom");
            if (!"custom".equals(type) || !tool.containsKey("input_schema")) {
                if (refuseHostedTools) {
                    throw new UntranslatableException("tools[" + i + "]", "a server tool has no equivalent for a provider that answers over chat"
                            + " (gateway.translation.hosted-tools=refuse)");
                }
                dropped.add("tools[" + i + "]"); // a server tool (web search, code execution): the provider cannot run it
                continue;
            }
            noteCacheControl(tool);
            JsonObjectBuilder function = Json.object().add("name", Json.string(tool, "name").orElse(""))
                    .add("parameters", tool.get("input_schema"));
            Json.string(tool, "description").ifPresent(d -> function.add("description", d));
            functions.add(Json.object().add("type", "function").add("function", function));
            kept++;
        }
        if (kept > 0) {
            chat.add("tools", functions);
        }
    }

    private static void toolChoice(JsonValue value, JsonObjectBuilder chat) throws UntranslatableException {
        if (!(value instanceof JsonObject choice)) {
            throw new UntranslatableException("tool_choice", "'tool_choice' must be an object");
        }
        switch (Json.string(choice, "type").orElse("")) {
            case "auto" -> chat.add("tool_choice", "auto");
            case "any" -> chat.add("tool_choice", "required");
            case "none" -> chat.add("tool_choice", "none");
            case "tool" -> chat.add("tool_choice", Json.object().add("type", "function")
                    .add("function", Json.object().add("name", Json.string(choice, "name").orElse(""))));
            default -> throw new UntranslatableException("tool_choice.type", "'tool_choice.type' is auto, any, tool or none");
        }
        if (choice.getBoolean("disable_parallel_tool_use", false)) {
            chat.add("parallel_tool_calls", false);
        }
    }

    private void noteCacheControl(JsonObject block) {
        if (block.containsKey("cache_control")) {
            dropped.add("cache_control");
        }
    }

    private static JsonObject block(JsonValue value, String param) throws UntranslatableException {
        if (!(value instanceof JsonObject block)) {
            throw new UntranslatableException(param, "'" + param + "' must be an object");
        }
        return block;
    }

    private static String type(JsonObject block) {
        return Json.string(block, "type").orElse("");
    }
}
