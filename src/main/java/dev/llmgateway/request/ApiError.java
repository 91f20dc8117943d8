package dev.llmgateway.request;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
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

    /** Answers with this error directly on the servlet response, for filters and servlets outside JAX-RS. */
    public void writeTo(HttpServletResponse response) throws IOException {
        byte[] body = toJson();
        response.setStatus(status);
        if (retryAfter != null) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
