package dev.llmgateway.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may call the gateway: its API keys, kept only as SHA-256 digests, and the browser origins allowed to.
 *
 * @param keys           key name → the key's settings; empty when the API is open
 * @param protectMetrics whether /metrics also needs a key
 * @param allowedOrigins browser origins that may call the API ({@code *} for any); empty refuses every browser
 * @param adminSha256    the admin key's digest, for the admin API; null leaves that API closed
 */
public record AuthSettings(Map<String, ApiKeySettings> keys, boolean protectMetrics, Set<String> allowedOrigins, byte[] adminSha256) {

    public AuthSettings(Map<String, ApiKeySettings> keys, boolean protectMetrics, Set<String> allowedOrigins) {
        this(keys, protectMetrics, allowedOrigins, null);
    }

    public AuthSettings {
        keys = Map.copyOf(keys);
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** Keys with nothing but their digests, as most deployments configure them. */
    public static AuthSettings ofDigests(Map<String, byte[]> digests, boolean protectMetrics) {
        Map<String, ApiKeySettings> keys = new LinkedHashMap<>();
        digests.forEach((name, digest) -> keys.put(name, new ApiKeySettings(name, digest, Map.of(), null)));
        return new AuthSettings(keys, protectMetrics, Set.of());
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    @Override
    public String toString() {
        return "AuthSettings[keys=" + keys.values() + ", protectMetrics=" + protectMetrics + ", allowedOrigins=" + allowedOrigins
                + ", admin=" + (adminSha256 != null) + "]";
    }
}
