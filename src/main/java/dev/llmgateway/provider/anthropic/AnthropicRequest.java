package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonLimitException;
import dev.llmgateway.json.JsonShape;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/** Translates an OpenAI chat-completions request into an Anthropic Messages request. */
final class AnthropicRequest {

    /** Parameters with no Anthropic meaning that are safe to leave behind: bookkeeping of OpenAI's own. */
    private static final Set<String> LEFT_BEHIND = Set.of("stream_options", "store", "metadata");
    /** Parameters SDKs send unasked, accepted with the value that has no effect, refused with any other. */
    private static final Map<String, Predicate<JsonValue>> NO_EFFECT = Map.of(
            "logprobs", value -> value == JsonValue.FALSE,
            "frequency_penalty", AnthropicRequest::isZero,
            "presence_penalty", AnthropicRequest::isZero,
            "logit_bias", value -> value instanceof JsonObject bias && bias.isEmpty(),
            "service_tier", value -> value instanceof JsonString tier && tier.getString().equals("auto"),
            "modalities", value -> value instanceof JsonArray list && list.equals(Json.array().add("text").build()));
    /** Parameters translated below. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "stream", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "user", "n", "response_format");

    /** The request's own limit applies to its tree; arguments are text in it, measured here before they are parsed. */
    private static final int ARGUMENTS_MAX_DEPTH = 64;

    private AnthropicRequest() {
    }

    static JsonObject translate(JsonObject openai, String model, long defaultMaxTokens, boolean stream) throws UnsupportedInputException {
        for (var entry : openai.entrySet()) {
            String key = entry.getKey();
            JsonValue value = entry.getValue();
            if (TRANSLATED.contains(key) || LEFT_BEHIND.contains(key) || value.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            if (!NO_EFFECT.containsKey(key)) {
                throw new UnsupportedInputException(key, "Anthropic models do not support the parameter '" + key + "'");
            }
            if (!NO_EFFECT.get(key).test(value)) {
                throw new UnsupportedInputException(key, "Anthropic models do not support the parameter '" + key + "' except with its default, "
                        + "which has no effect");
            }
        }
        JsonObjectBuilder out = Json.object().add("model", model)
                .add("max_tokens", integer(openai, "max_completion_tokens").orElse(integer(openai, "max_tokens").orElse(defaultMaxTokens)));
        Messages messages = messages(Json.array(openai, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY));
        if (!messages.system.isEmpty()) {
            out.add("system", arrayOf(messages.system));
        }
        out.add("messages", messages.turns());
        copyNumber(openai, out, "temperature", "temperature");
        copyNumber(openai, out, "top_p", "top_p");
        stop(openai, out);
        tools(openai, out);
        if (present(openai, "user")) {
            out.add("metadata", Json.object().add("user_id", string(openai, "user", "user")));
        }
        if (integer(openai, "n").orElse(1) != 1) {
            throw new UnsupportedInputException("n", "Anthropic models return one choice; 'n' must be 1");
        }
        if (present(openai, "response_format") && !(openai.get("response_format") instanceof JsonObject)) {
            throw new UnsupportedInputException("response_format", "'response_format' must be an object");
        }
        String format = Json.object(openai, "response_format").flatMap(f -> Json.string(f, "type")).orElse("text");
        if (!format.equals("text")) {
            throw new UnsupportedInputException("response_format", "Anthropic models do not support response_format '" + format + "'");
        }
        if (stream) {
            out.add("stream", true);
        }
        return out.build();
    }

    private static void copyNumber(JsonObject in, JsonObjectBuilder out, String from, String to) throws UnsupportedInputException {
        if (!present(in, from)) {
            return;
        }
        if (!(in.get(from) instanceof JsonNumber n)) {
            throw new UnsupportedInputException(from, "'" + from + "' must be a number");
        }
        out.add(to, n);
    }

    /** An integer parameter, written as one or as a number with no fraction ({@code 2.0}); anything else is refused. */
    private static OptionalLong integer(JsonObject in, String key) throws UnsupportedInputException {
        if (!present(in, key)) {
            return OptionalLong.empty();
        }
        try {
            if (in.get(key) instanceof JsonNumber n) {
                return OptionalLong.of(n.bigDecimalValue().longValueExact());
            }
        } catch (ArithmeticException notAnInteger) {
            // refused below
        }
        throw new UnsupportedInputException(key, "'" + key + "' must be an integer");
    }

    private static String string(JsonObject in, String key, String param) throws UnsupportedInputException {
        if (in.get(key) instanceof JsonString s) {
            return s.getString();
        }
        throw new UnsupportedInputException(param, "'" + param + "' must be a string");
    }

    private static boolean present(JsonObject in, String key) {
        JsonValue value = in.get(key);
        return value != null && value.getValueType() != JsonValue.ValueType.NULL;
    }

    private static boolean isZero(JsonValue value) {
        return value instanceof JsonNumber n && n.bigDecimalValue().signum() == 0;
    }

    private static void stop(JsonObject in, JsonObjectBuilder out) throws UnsupportedInputException {
        JsonValue stop = in.get("stop");
        if (stop instanceof JsonString s) {
            out.add("stop_sequences", Json.array().add(s));
        } else if (stop instanceof JsonArray list) {
            if (!list.stream().allMatch(JsonString.class::isInstance)) {
                throw new UnsupportedInputException("stop", "'stop' must be a string or an array of strings");
            }
            out.add("stop_sequences", list);
        } else if (stop != null && stop.getValueType() != JsonValue.ValueType.NULL) {
            throw new UnsupportedInputException("stop", "'stop' must be a string or an array of strings");
        }
    }

    private static void tools(JsonObject in, JsonObjectBuilder out) throws UnsupportedInputException {
        if (present(in, "tools") && !(in.get("tools") instanceof JsonArray)) {
            throw new UnsupportedInputException("tools", "'tools' must be an array");
        }
        JsonArray tools = Json.array(in, "tools").orElse(JsonValue.EMPTY_JSON_ARRAY);
        if (!tools.isEmpty()) {
            JsonArrayBuilder translated = Json.array();
            for (int i = 0; i < tools.size(); i++) {
                String param = "tools[" + i + "]";
                JsonObject function = tools.get(i) instanceof JsonObject tool && "function".equals(Json.string(tool, "type").orElse(""))
                        ? Json.object(tool, "function").orElse(null) : null;
                if (function == null || Json.string(function, "name").isEmpty()) {
                    throw new UnsupportedInputException(param, "Anthropic models take only tools of type 'function' with a name");
                }
                if (present(function, "parameters") && !(function.get("parameters") instanceof JsonObject)) {
                    throw new UnsupportedInputException(param + ".function.parameters", "a tool's parameters must be a JSON Schema object");
                }
                JsonObjectBuilder tool = Json.object().add("name", Json.string(function, "name").get())
                        .add("input_schema", Json.object(function, "parameters").orElse(Json.object().add("type", "object").build()));
                if (present(function, "description")) {
                    tool.add("description", string(function, "description", param + ".function.description"));
                }
                translated.add(tool);
            }
            out.add("tools", translated);
        }
        JsonValue choice = in.get("tool_choice");
        JsonObjectBuilder toolChoice = null;
        if (choice instanceof JsonString s) {
            toolChoice = switch (s.getString()) {
                case "auto" -> Json.object().add("type", "auto");
                case "required" -> Json.object().add("type", "any");
                case "none" -> Json.object().add("type", "none");
                default -> throw new UnsupportedInputException("tool_choice", "unknown tool_choice '" + s.getString() + "'");
            };
        } else if (choice instanceof JsonObject o) {
            String name = Json.object(o, "function").flatMap(f -> Json.string(f, "name"))
                    .orElseThrow(() -> new UnsupportedInputException("tool_choice", "tool_choice must name a function"));
            toolChoice = Json.object().add("type", "tool").add("name", name);
        } else if (present(in, "tool_choice")) {
            throw new UnsupportedInputException("tool_choice", "'tool_choice' must be a string or an object");
        }
        JsonValue parallel = in.get("parallel_tool_calls");
        if (parallel != null && parallel != JsonValue.TRUE && parallel != JsonValue.FALSE && parallel != JsonValue.NULL) {
            throw new UnsupportedInputException("parallel_tool_calls", "'parallel_tool_calls' must be a boolean");
        }
        // Anthropic refuses a tool_choice without tools, and one of type none takes no such option
        if (parallel == JsonValue.FALSE && !tools.isEmpty() && !"none".equals(choice instanceof JsonString s ? s.getString() : "")) {
            toolChoice = (toolChoice == null ? Json.object().add("type", "auto") : toolChoice).add("disable_parallel_tool_use", true);
        }
        if (toolChoice != null) {
            out.add("tool_choice", toolChoice);
        }
    }

    private static Messages messages(JsonArray openai) throws UnsupportedInputException {
        Messages messages = new Messages();
        for (int i = 0; i < openai.size(); i++) {
            JsonObject message = openai.getJsonObject(i);
            String role = Json.string(message, "role").orElse("");
            String param = "messages[" + i + "]";
            switch (role) {
                case "system", "developer" -> {
                    for (JsonValue block : content(message.get("content"), param, false)) {
                        messages.system.add(block);
                    }
                }
                case "user" -> messages.add("user", content(message.get("content"), param, true));
                case "assistant" -> messages.add("assistant", assistant(message, param));
                case "tool" -> messages.add("user", List.of(Json.object().add("type", "tool_result")
                        .add("tool_use_id", Json.string(message, "tool_call_id")
                                .orElseThrow(() -> new UnsupportedInputException(param, "a tool message needs a tool_call_id")))
                        .add("content", arrayOf(content(message.get("content"), param, false)))
                        .build()));
                default -> throw new UnsupportedInputException(param, "Anthropic models do not support messages with role '" + role + "'");
            }
        }
        return messages;
    }

    private static List<JsonValue> assistant(JsonObject message, String param) throws UnsupportedInputException {
        List<JsonValue> blocks = new ArrayList<>(content(message.get("content"), param, false));
        if (present(message, "tool_calls") && !(message.get("tool_calls") instanceof JsonArray)) {
            throw new UnsupportedInputException(param + ".tool_calls", "'tool_calls' must be an array");
        }
        JsonArray calls = Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY);
        for (int j = 0; j < calls.size(); j++) {
            String callParam = param + ".tool_calls[" + j + "]";
            if (!(calls.get(j) instanceof JsonObject call) || !(call.get("function") instanceof JsonObject function)) {
                throw new UnsupportedInputException(callParam, "a tool call must be an object with a 'function' object");
            }
            blocks.add(Json.object().add("type", "tool_use").add("id", Json.string(call, "id").orElse(""))
                    .add("name", Json.string(function, "name").orElse("")).add("input", arguments(function, callParam + ".function.arguments")).build());
        }
        return blocks;
    }

    /** A tool call's arguments, a string holding a JSON object as OpenAI sends them, as Anthropic's input object. */
    private static JsonObject arguments(JsonObject function, String param) throws UnsupportedInputException {
        if (!present(function, "arguments")) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (!(function.get("arguments") instanceof JsonString text)) {
            throw new UnsupportedInputException(param, "tool call arguments must be a string holding a JSON object");
        }
        try {
            JsonShape.measure(text.getString(), ARGUMENTS_MAX_DEPTH, Integer.MAX_VALUE);
            return Json.parseObject(text.getString());
        } catch (JsonException | JsonLimitException | IllegalStateException e) {
            throw new UnsupportedInputException(param, "tool call arguments must be a string holding a JSON object");
        }
    }

    /** Text and images as Anthropic content blocks; {@code null} content is no blocks. */
    private static List<JsonValue> content(JsonValue content, String param, boolean imagesAllowed) throws UnsupportedInputException {
        List<JsonValue> blocks = new ArrayList<>();
        if (content instanceof JsonString text) {
            if (!text.getString().isEmpty()) {
                blocks.add(text(text.getString()));
            }
        } else if (content instanceof JsonArray parts) {
            for (JsonValue value : parts) {
                if (!(value instanceof JsonObject part)) {
                    throw new UnsupportedInputException(param, "each content part must be an object");
                }
                String type = Json.string(part, "type").orElse("");
                if (type.equals("text")) {
                    blocks.add(text(string(part, "text", param + ".content.text")));
                } else if (type.equals("image_url") && imagesAllowed) {
                    blocks.add(image(Json.object(part, "image_url").flatMap(u -> Json.string(u, "url")).orElse(""), param));
                } else {
                    throw new UnsupportedInputException(param, "Anthropic models do not support content parts of type '" + type + "' here");
                }
            }
        } else if (content != null && content.getValueType() != JsonValue.ValueType.NULL) {
            throw new UnsupportedInputException(param, "message content must be a string or an array of parts");
        }
        return blocks;
    }

    private static JsonObject text(String text) {
        return Json.object().add("type", "text").add("text", text).build();
    }

    private static JsonObject image(String url, String param) throws UnsupportedInputException {
        JsonObjectBuilder source;
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw new UnsupportedInputException(param, "image data URLs must be base64-encoded");
            }
            source = Json.object().add("type", "base64").add("media_type", header.substring(0, header.length() - 7))
                    .add("data", url.substring(comma + 1));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source = Json.object().add("type", "url").add("url", url);
        } else {
            throw new UnsupportedInputException(param, "an image must be a data URL or an http(s) URL");
        }
        return Json.object().add("type", "image").add("source", source).build();
    }

    private static JsonArray arrayOf(List<JsonValue> values) {
        JsonArrayBuilder array = Json.array();
        values.forEach(array::add);
        return array.build();
    }

    /** Anthropic wants user and assistant turns to alternate: consecutive messages of one role merge. */
    private static final class Messages {
        final List<JsonValue> system = new ArrayList<>();
        final List<String> roles = new ArrayList<>();
        final List<List<JsonValue>> contents = new ArrayList<>();

        void add(String role, List<JsonValue> blocks) {
            if (!roles.isEmpty() && roles.get(roles.size() - 1).equals(role)) {
                contents.get(contents.size() - 1).addAll(blocks);
            } else {
                roles.add(role);
                contents.add(new ArrayList<>(blocks));
            }
        }

        JsonArray turns() {
            JsonArrayBuilder turns = Json.array();
            for (int i = 0; i < roles.size(); i++) {
                turns.add(Json.object().add("role", roles.get(i)).add("content", arrayOf(contents.get(i))));
            }
            return turns.build();
        }
    }
}
