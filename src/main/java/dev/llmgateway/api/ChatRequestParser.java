package dev.llmgateway.chat;

import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ChatRequest;
import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonLimitException;
import dev.llmgateway.json.JsonShape;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Reads and checks a chat-completions body; anything else in it passes through to the provider. */
final class ChatRequestParser {

    private ChatRequestParser() {
    }

    /**
     * @param memory charged for the tool-call arguments, JSON text inside the JSON that a provider may parse (Anthropic's
     *               does): measured and bounded here like the body itself, so that no provider parses text unbounded
     */
    static ChatRequest parse(JsonObject json, RequestLimits limits, Reservation memory) {
        JsonValue model = json.get("model");
        if (model == null || model.getValueType() == JsonValue.ValueType.NULL) {
            throw invalid("you must provide a model parameter", "model");
        }
        if (!(model instanceof JsonString name) || name.getString().isBlank()) {
            throw invalid("'model' must be a non-empty string", "model");
        }
        JsonValue messages = json.get("messages");
        if (messages == null || messages.getValueType() == JsonValue.ValueType.NULL) {
            throw invalid("you must provide a messages parameter", "messages");
        }
        if (!(messages instanceof JsonArray list) || list.isEmpty()) {
            throw invalid("'messages' must be a non-empty array", "messages");
        }
        int argumentValues = 0;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof JsonObject message) || !(message.get("role") instanceof JsonString)) {
                throw invalid("each message must be an object with a string 'role'", "messages[" + i + "]");
            }
            argumentValues += toolArguments(message, i, limits, limits.maxJsonValues() - argumentValues, memory);
        }
        boolean stream = bool(json, "stream", "stream");
        boolean includeUsage = Json.object(json, "stream_options").map(o -> bool(o, "include_usage", "stream_options.include_usage")).orElse(false);
        if (json.containsKey("stream_options") && !(json.get("stream_options") instanceof JsonObject)
                && json.get("stream_options").getValueType() != JsonValue.ValueType.NULL) {
            throw invalid("'stream_options' must be an object", "stream_options");
        }
        return new ChatRequest(name.getString(), json, stream, includeUsage);
    }

    private static int toolArguments(JsonObject message, int index, RequestLimits limits, int maxValues, Reservation memory) {
        int values = 0;
        JsonArray calls = Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY);
        for (int j = 0; j < calls.size(); j++) {
            if (calls.get(j) instanceof JsonObject call && call.get("function") instanceof JsonObject function
                    && function.get("arguments") instanceof JsonString arguments) {
                String param = "messages[" + index + "].tool_calls[" + j + "].function.arguments";
                JsonShape shape;
                try {
                    shape = JsonShape.measure(arguments.getString(), limits.maxJsonDepth(), maxValues - values);
                } catch (JsonLimitException e) {
                    throw invalid("The tool call's arguments " + e.getMessage().substring("The request body ".length()), param);
                }
                values += shape.values();
                int chars = arguments.getString().length();
                memory.take(RequestLimits.parsingCost(0, shape.longestString(), true, shape.values()) + 2L * chars);
            }
        }
        return values;
    }

    private static boolean bool(JsonObject json, String key, String param) {
        JsonValue value = json.get(key);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return false;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE) {
            return true;
        }
        if (value.getValueType() == JsonValue.ValueType.FALSE) {
            return false;
        }
        throw invalid("'" + param + "' must be a boolean", param);
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.invalidRequest(message, param));
    }
}
