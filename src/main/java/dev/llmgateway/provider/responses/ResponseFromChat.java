package dev.llmgateway.provider.responses;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Completion;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** A whole chat completion as a Responses API {@code response}: its text as a message item, its tool calls as function calls. */
final class ResponseFromChat {

    private ResponseFromChat() {
    }

    static JsonObject translate(JsonObject request, Completion chat, String model) {
        JsonObject completion = chat.json();
        String chatId = Json.string(completion, "id").orElse(ResponseIds.next());
        JsonObject choice = Json.array(completion, "choices").filter(c -> !c.isEmpty() && c.get(0) instanceof JsonObject)
                .map(c -> c.getJsonObject(0)).orElse(JsonValue.EMPTY_JSON_OBJECT);
        JsonObject message = Json.object(choice, "message").orElse(JsonValue.EMPTY_JSON_OBJECT);
        String finish = Json.string(choice, "finish_reason").orElse("stop");
        String status = ResponseObject.status(finish);
        JsonArrayBuilder output = Json.array();
        if (message.get("content") instanceof JsonString text && !text.getString().isEmpty()) {
            output.add(ResponseObject.message("msg_" + chatId, status, text.getString()));
        }
        JsonArray calls = Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY);
        for (JsonValue value : calls) {
            if (value instanceof JsonObject call) {
                JsonObject function = Json.object(call, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
                String callId = Json.string(call, "id").orElse(ResponseIds.next());
                output.add(ResponseObject.functionCall(request, "fc_" + callId, "completed", callId, Json.string(function, "name").orElse(""),
                        Json.string(function, "arguments").orElse("")));
            }
        }
        long created = Json.integer(completion, "created").orElse(System.currentTimeMillis() / 1000);
        return ResponseObject.of(request, "resp_" + chatId, created, Json.string(completion, "model").orElse(model), status, finish,
                output.build(), chat.usage());
    }
}
