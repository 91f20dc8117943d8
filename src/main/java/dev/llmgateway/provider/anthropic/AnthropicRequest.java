package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.llmgateway.provider.anthropic.Parameters.copyNumber;
import static dev.llmgateway.provider.anthropic.Parameters.integer;
import static dev.llmgateway.provider.anthropic.Parameters.present;
import static dev.llmgateway.provider.anthropic.Parameters.string;

/** Translates an OpenAI chat-completions request into an Anthropic Messages request. */
final class AnthropicRequest {

    /** Parameters with no Anthropic meaning that are safe to leave behind: bookkeeping of OpenAI's own. */
    private static final Set<String> LEFT_BEHIND = Set.of("stream_options", "store", "metadata");
    /** Parameters SDKs send unasked, accepted with the value that has no effect, refused with any other. */
    private static final Map<String, Predicate<JsonValue>> NO_EFFECT = Map.of(
            "logprobs", value -> value == JsonValue.FALSE,
            "frequency_penalty", Parameters::isZero,
            "presence_penalty", Parameters::isZero,
            "logit_bias", value -> value instanceof JsonObject bias && bias.isEmpty(),
            "service_tier", value -> value instanceof JsonString tier && tier.getString().equals("auto"),
            "modalities", value -> value instanceof JsonArray list && list.equals(Json.array().add("text").build()));
    /** Parameters translated below. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "stream", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "user", "n", "response_format");

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
        AnthropicMessages.Messages messages = AnthropicMessages.messages(Json.array(openai, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY));
        if (messages.system() != null) {
            out.add("system", messages.system());
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
}
