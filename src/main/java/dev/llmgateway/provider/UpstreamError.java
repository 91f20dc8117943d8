package dev.llmgateway.provider;

import dev.llmgateway.config.SecretText;
import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identifiers of an upstream's error ({@code type}, {@code code}, {@code param}), which SDKs and frameworks branch
 * on ({@code context_length_exceeded}, {@code content_filter}). Passed on only when they look like identifiers:
 * short snake_case words (parameters: names and indexes), so that neither a credential nor a client's text comes back.
 */
public record UpstreamError(String type, String code, String param) {

    /** snake_case, as every provider writes its codes: keys (mixed case, dashes) never match */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_.\\[\\]]{1,128}");
    private static final int MAX_IDENTIFIER = 64;

    static final UpstreamError NONE = new UpstreamError(null, null, null);

    /** A refusal of the gateway's own that names the parameter at fault (a translation that cannot carry it). */
    public static UpstreamError parameter(String param) {
        return new UpstreamError(null, null, param);
    }

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

    /** The same identifiers, less any that holds a secret: a short header value can look like a code. */
    UpstreamError without(SecretText secrets) {
        return new UpstreamError(clean(type, secrets), clean(code, secrets), clean(param, secrets));
    }

    private static String clean(String identifier, SecretText secrets) {
        return identifier == null || secrets.scrub(identifier).equals(identifier) ? identifier : null;
    }

    private static String matching(Optional<String> value, Pattern pattern) {
        return value.filter(v -> v.length() <= (pattern == IDENTIFIER ? MAX_IDENTIFIER : 128) && pattern.matcher(v).matches()).orElse(null);
    }
}
