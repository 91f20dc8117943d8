package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonLimitException;
import dev.llmgateway.json.JsonShape;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

import static dev.llmgateway.provider.anthropic.Parameters.present;
import static dev.llmgateway.provider.anthropic.Parameters.string;

/** Translates OpenAI chat messages into Anthropic's system blocks and alternating user and assistant turns. */
final class AnthropicMessages {

    /** The chat adapter measured and charged the arguments already; measured again so that the translation stands alone. */
    private static final int ARGUMENTS_MAX_DEPTH = 64;

    private AnthropicMessages() {
    }

    static Messages messages(JsonArray openai) throws UnsupportedInputException {
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
            JsonShape.measure(text.getString(), ARGUMENTS_MAX_DEPTH, Integer.MAX_VALUE, false);
            return Json.parseObject(text.getString());
        } catch (RuntimeException e) { // JsonException, JsonLimitException, or nesting past the parser's limit
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
    static final class Messages {
        private final List<JsonValue> system = new ArrayList<>();
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

        /** The system and developer messages' blocks, or null when there were none. */
        JsonArray system() {
            return system.isEmpty() ? null : arrayOf(system);
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
