package dev.llmgateway.api;

import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.json.Json;
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
    static ClientRequest parse(JsonObject json, RequestLimits limits, Reservation memory) {
        String model = RequestFields.model(json);
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
        return new ClientRequest(model, json, RequestFields.stream(json), RequestFields.includeUsage(json));
    }

    private static int toolArguments(JsonObject message, int index, RequestLimits limits, int maxValues, Reservation memory) {
        int values = 0;
        JsonArray calls = Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY);
        for (int j = 0; j < calls.size(); j++) {
            if (calls.get(j) instanceof JsonObject call && call.get("function") instanceof JsonObject function
                    && function.get("arguments") instanceof JsonString arguments) {
                String param = "messages[" + index + "].tool_calls[" + j + "].function.arguments";
                values += ToolArguments.charge(arguments.getString(), param, limits, maxValues - values, memory);
            }
        }
        return values;
    }

    private static ApiException invalid(String message, String param) {
        return RequestFields.invalid(message, param);
    }
}
