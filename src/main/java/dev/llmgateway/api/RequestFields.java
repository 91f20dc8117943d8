package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Checks of the fields every endpoint shares, refusing in OpenAI's words with the parameter named. */
final class RequestFields {

    private RequestFields() {
    }

    static String model(JsonObject json) {
        JsonValue model = json.get("model");
        if (absent(model)) {
            throw invalid("you must provide a model parameter", "model");
        }
        if (!(model instanceof JsonString name) || name.getString().isBlank()) {
            throw invalid("'model' must be a non-empty string", "model");
        }
        return name.getString();
    }

    /** {@code stream}, false when absent. */
    static boolean stream(JsonObject json) {
        return bool(json, "stream", "stream");
    }

    /** Whether a stream should end with the usage chunk ({@code stream_options.include_usage}). */
    static boolean includeUsage(JsonObject json) {
        if (json.containsKey("stream_options") && !(json.get("stream_options") instanceof JsonObject) && !absent(json.get("stream_options"))) {
            throw invalid("'stream_options' must be an object", "stream_options");
        }
        return Json.object(json, "stream_options").map(o -> bool(o, "include_usage", "stream_options.include_usage")).orElse(false);
    }

    static boolean bool(JsonObject json, String key, String param) {
        JsonValue value = json.get(key);
        if (absent(value)) {
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

    /** An optional whole number within bounds. */
    static void integer(JsonObject json, String key, long min, long max) {
        JsonValue value = json.get(key);
        if (absent(value)) {
            return;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(min)) < 0
                || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw invalid("'" + key + "' must be a whole number from " + min + " to " + max, key);
        }
    }

    /** An optional string. */
    static void string(JsonObject json, String key) {
        JsonValue value = json.get(key);
        if (!absent(value) && !(value instanceof JsonString)) {
            throw invalid("'" + key + "' must be a string", key);
        }
    }

    static boolean absent(JsonValue value) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.invalidRequest(message, param));
    }
}
