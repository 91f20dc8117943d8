package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identifiers of an upstream's error ({@code type}, {@code code}, {@code param}), which SDKs and frameworks branch
 * on ({@code context_length_exceeded}, {@code content_filter}). Passed on only when they look like identifiers:
 * short, no spaces, nothing that could carry a credential or a client's text back.
 */
public record UpstreamError(String type, String code, String param) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]{1,128}");

    static final UpstreamError NONE = new UpstreamError(null, null, null);

    /** From OpenAI's {@code {"error":{"type","code","param"}}} or Anthropic's {@code {"type":"error","error":{"type"}}}. */
    static UpstreamError of(JsonObject body) {
        Optional<JsonObject> error = Json.object(body, "error");
        if (error.isEmpty()) {
            return NONE;
        }
        JsonObject e = error.get();
        return new UpstreamError(matching(Json.string(e, "type"), IDENTIFIER), matching(Json.string(e, "code"), IDENTIFIER),
                matching(Json.string(e, "param"), PARAMETER));
    }

    private static String matching(Optional<String> value, Pattern pattern) {
        return value.filter(v -> pattern.matcher(v).matches()).orElse(null);
    }
}
