package dev.llmgateway.provider.responses;

import dev.llmgateway.provider.UntranslatableException;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.Set;

/** The Responses API's tools, tool choice and output format as a chat request names them. */
final class ToolsFromResponses {

    private ToolsFromResponses() {
    }

    /**
     * Function tools as chat's; a {@code namespace}'s function tools among them under their own names (a call to one
     * goes back with its namespace, {@link #namespaceOf}); hosted tools a chat provider cannot run ({@code web_search},
     * {@code file_search}, …) left out and named in {@code dropped}.
     */
    static JsonArray tools(JsonValue value, Set<String> dropped, boolean refuseHostedTools) throws UntranslatableException {
        if (!(value instanceof JsonArray tools)) {
            throw new UntranslatableException("tools", "'tools' must be an array");
        }
        JsonArrayBuilder chat = Json.array();
        for (int i = 0; i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            if (!(tools.get(i) instanceof JsonObject tool)) {
                throw new UntranslatableException(param, "each tool must be an object");
            }
            switch (Json.string(tool, "type").orElse("")) {
                case "function" -> chat.add(function(tool, param));
                case "namespace" -> {
                    JsonArray inner = Json.array(tool, "tools").orElseThrow(() -> new UntranslatableException(param + ".tools", "a namespace holds an array of tools"));
                    for (int j = 0; j < inner.size(); j++) {
                        String at = param + ".tools[" + j + "]";
                        if (inner.get(j) instanceof JsonObject member && "function".equals(Json.string(member, "type").orElse(""))) {
                            chat.add(function(member, at));
                        } else {
                            dropped.add(at);
                        }
                    }
                }
                default -> {
                    if (refuseHostedTools) {
                        throw new UntranslatableException(param, "a tool its own provider runs has no equivalent for a provider that answers over chat"
                                + " (gateway.translation.hosted-tools=refuse)");
                    }
                    dropped.add(param); // a tool the provider runs itself, which a chat provider cannot
                }
            }
        }
        return chat.build();
    }

    private static JsonObject function(JsonObject tool, String param) throws UntranslatableException {
        JsonObjectBuilder function = Json.object().add("name", ChatFromResponses.required(tool, "name", param));
        for (String key : new String[]{"description", "parameters", "strict"}) {
            if (tool.containsKey(key) && tool.get(key).getValueType() != JsonValue.ValueType.NULL) {
                function.add(key, tool.get(key));
            }
        }
        return Json.object().add("type", "function").add("function", function).build();
    }

    /** The namespace of the request's tools that holds a function of that name, if any. */
    static Optional<String> namespaceOf(JsonObject request, String name) {
        for (JsonValue value : Json.array(request, "tools").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (value instanceof JsonObject tool && "namespace".equals(Json.string(tool, "type").orElse(""))
                    && Json.array(tool, "tools").orElse(JsonValue.EMPTY_JSON_ARRAY).stream()
                    .anyMatch(m -> m instanceof JsonObject member && name.equals(Json.string(member, "name").orElse(null)))) {
                return Json.string(tool, "name");
            }
        }
        return Optional.empty();
    }

    static JsonValue toolChoice(JsonValue value) throws UntranslatableException {
        if (value instanceof JsonString) {
            return value;
        }
        if (value instanceof JsonObject choice && "function".equals(Json.string(choice, "type").orElse(""))) {
            return Json.object().add("type", "function").add("function", Json.object().add("name", ChatFromResponses.required(choice, "name", "tool_choice"))).build();
        }
        throw new UntranslatableException("tool_choice", "'tool_choice' is a string or a function to call");
    }

    /** {@code text.format} as a chat {@code response_format}; plain text needs none. */
    static Optional<JsonObject> format(JsonValue text) throws UntranslatableException {
        if (!(text instanceof JsonObject config)) {
            throw new UntranslatableException("text", "'text' must be an object");
        }
        for (String key : config.keySet()) {
            if (!key.equals("format") && config.get(key).getValueType() != JsonValue.ValueType.NULL) {
                throw new UntranslatableException("text." + key, "'text." + key + "' has no equivalent for a provider that answers over chat");
            }
        }
        if (config.containsKey("format") && !(config.get("format") instanceof JsonObject) && config.get("format").getValueType() != JsonValue.ValueType.NULL) {
            throw new UntranslatableException("text.format", "'text.format' must be an object");
        }
        JsonObject format = Json.object(config, "format").orElse(null);
        String type = format == null ? "text" : Json.string(format, "type").orElse("");
        switch (type) {
            case "text" -> {
                return Optional.empty();
            }
            case "json_object" -> {
                return Optional.of(Json.object().add("type", "json_object").build());
            }
            case "json_schema" -> {
                JsonObjectBuilder schema = Json.object().add("name", ChatFromResponses.required(format, "name", "text.format"));
                for (String key : new String[]{"schema", "strict", "description"}) {
                    if (format.containsKey(key)) {
                        schema.add(key, format.get(key));
                    }
                }
                return Optional.of(Json.object().add("type", "json_schema").add("json_schema", schema).build());
            }
            default -> throw new UntranslatableException("text.format", "'text.format' is text, json_object or json_schema");
        }
    }

}
