package dev.llmgateway.chat;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;

/**
 * An error as OpenAI's API reports it: {@code {"error":{"message","type","param","code"}}} with an HTTP status.
 *
 * @param retryAfter sent as {@code Retry-After} when present
 */
public record ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {

    public static final String INVALID_REQUEST = "invalid_request_error";

    public static ApiError invalidRequest(String message, String param) {
        return new ApiError(400, INVALID_REQUEST, null, param, message, null);
    }

    public byte[] toJson() {
        JsonObjectBuilder error = Json.object().add("message", message).add("type", type);
        nullable(error, "param", param);
        nullable(error, "code", code);
        return Json.toBytes(Json.object().add("error", error).build());
    }

    private static void nullable(JsonObjectBuilder builder, String key, String value) {
        if (value == null) {
            builder.addNull(key);
        } else {
            builder.add(key, value);
        }
    }
}
