package dev.llmgateway.request;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * An error as OpenAI's API reports it: {@code {"error":{"message","type","param","code"}}} with an HTTP status.
 *
 * @param retryAfter sent as {@code Retry-After} when present
 */
public record ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {

    public static final String INVALID_REQUEST = "invalid_request_error";

    /** The header that carries the inference's id on every answer, as Anthropic's and OpenAI's APIs name theirs. */
    public static final String REQUEST_ID = "request-id";

    private static final Set<String> ANTHROPIC_TYPES = Set.of(INVALID_REQUEST, "authentication_error", "billing_error", "permission_error",
            "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "timeout_error");

    public static ApiError invalidRequest(String message, String param) {
        return new ApiError(400, INVALID_REQUEST, null, param, message, null);
    }

    /** Answers with this error directly on the servlet response, for filters and servlets outside JAX-RS. */
    public void writeTo(HttpServletResponse response) throws IOException {
        byte[] body = body(response.getHeader(REQUEST_ID));
        response.setStatus(status);
        if (retryAfter != null) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The error in the shape the current request's endpoint speaks: Anthropic's on the Messages API, OpenAI's elsewhere. */
    public byte[] body(String requestId) {
        RequestState state = RequestState.current();
        return state != null && state.speaksAnthropic() ? toAnthropicJson(requestId) : toJson();
    }

    /**
     * As Anthropic's API reports it, {@code {"type":"error","error":{"type","message"},"request_id"}}: an Anthropic type
     * the error already has (an Anthropic upstream's) is kept, any other is the one Anthropic gives the status.
     */
    public byte[] toAnthropicJson(String requestId) {
        JsonObjectBuilder body = Json.object().add("type", "error")
                .add("error", Json.object().add("type", anthropicType()).add("message", anthropicMessage()));
        if (requestId != null) {
            body.add("request_id", requestId);
        }
        return Json.toBytes(body.build());
    }

    /** The message, naming the field at fault first as Anthropic's do ({@code messages.0.content: …}): its shape has no {@code param}. */
    public String anthropicMessage() {
        return param == null || message.startsWith(param) ? message : param + ": " + message;
    }

    /** Whether {@code type} is one of the error types Anthropic's API answers with. */
    public static boolean isAnthropicType(String type) {
        return ANTHROPIC_TYPES.contains(type);
    }

    /** Anthropic's error type for this error. */
    public String anthropicType() {
        if (type != null && ANTHROPIC_TYPES.contains(type) && !(INVALID_REQUEST.equals(type) && status != 400 && status != 422)) {
            return type;
        }
        return switch (status) {
            case 400, 405, 406, 408, 415, 422 -> INVALID_REQUEST;
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> "api_error";
        };
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
