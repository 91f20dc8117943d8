package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** The text of a chat message's {@code content}: a string, or the text parts of an array joined by spaces. */
public final class MessageContent {

    private MessageContent() {
    }

    public static String text(JsonValue content) {
        if (content instanceof JsonString s) {
            return s.getString();
        }
        StringBuilder text = new StringBuilder();
        if (content instanceof JsonArray parts) {
            for (JsonValue part : parts) {
                if (part instanceof JsonObject p && "text".equals(Json.string(p, "type").orElse(""))) {
                    text.append(text.length() > 0 ? " " : "").append(Json.string(p, "text").orElse(""));
                }
            }
        }
        return text.toString();
    }
}
