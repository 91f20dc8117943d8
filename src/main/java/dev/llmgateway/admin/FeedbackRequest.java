package dev.llmgateway.admin;

import dev.llmgateway.json.Json;
import dev.llmgateway.ledger.Feedback;
import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.RequestState;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.Set;
import java.util.regex.Pattern;

/** A feedback body, read within a small bound and checked field by field. */
final class FeedbackRequest {

    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Set<String> FIELDS = Set.of("inference_id", "conversation_id", "metric_name", "value");
    private static final int MAX_COMMENT = 8_192;

    private FeedbackRequest() {
    }

    static Feedback read(HttpServletRequest request, int maxBytes) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw new AdminException(new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null, "Feedback is at most " + maxBytes + " bytes.", null));
        }
        JsonObject json;
        try {
            json = Json.parseUniqueKeys(Json.strictText(body));
        } catch (CharacterCodingException | RuntimeException e) {
            throw refused("The body must be a JSON object: {\"inference_id\" or \"conversation_id\", \"metric_name\", \"value\"}.", null);
        }
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                throw refused("Unknown field '" + AdminQuery.shown(field) + "'; feedback takes " + new java.util.TreeSet<>(FIELDS) + ".", field);
            }
        }
        String inference = id(json, "inference_id", 64);
        String conversation = id(json, "conversation_id", 256);
        if ((inference == null) == (conversation == null)) {
            throw refused("Feedback is on one inference ('inference_id') or one conversation ('conversation_id'): give exactly one.", "inference_id");
        }
        String metric = string(json, "metric_name", 128);
        if (metric == null || !METRIC.matcher(metric).matches()) {
            throw refused("'metric_name' is required: 1 to 128 letters, digits, '_', '.', ':' or '-'.", "metric_name");
        }
        JsonValue value = json.get("value");
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return new Feedback(inference, conversation, metric, value == JsonValue.TRUE, null, null);
        }
        if (value instanceof JsonNumber number && Double.isFinite(number.doubleValue())) {
            return new Feedback(inference, conversation, metric, null, number.doubleValue(), null);
        }
        if (value instanceof JsonString comment && !comment.getString().isEmpty() && comment.getString().length() <= MAX_COMMENT) {
            return new Feedback(inference, conversation, metric, null, null, comment.getString());
        }
        throw refused("'value' is required: a boolean, a number, or a comment of 1 to " + MAX_COMMENT + " characters.", "value");
    }

    private static String id(JsonObject json, String field, int max) {
        String id = string(json, field, max);
        if (id != null && RequestState.plainId(id, max) == null) {
            throw refused("'" + field + "' is an id: printable ASCII without spaces.", field);
        }
        return id;
    }

    private static String string(JsonObject json, String field, int max) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString text) || text.getString().isEmpty() || text.getString().length() > max) {
            throw refused("'" + field + "' must be a string of 1 to " + max + " characters.", field);
        }
        return text.getString();
    }

    private static AdminException refused(String message, String param) {
        return new AdminException(ApiError.invalidRequest(message, param));
    }
}
