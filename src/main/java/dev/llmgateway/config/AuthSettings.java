package dev.llmgateway.config;

import java.util.Map;

/**
 * Gateway API keys, kept only as SHA-256 digests.
 *
 * @param keyDigests     key name → SHA-256 of the key; empty when the API is open
 * @param protectMetrics whether /metrics also needs a key
 */
public record AuthSettings(Map<String, byte[]> keyDigests, boolean protectMetrics) {

    public AuthSettings {
        keyDigests = Map.copyOf(keyDigests);
    }

    public boolean enabled() {
        return !keyDigests.isEmpty();
    }

    @Override
    public String toString() {
        return "AuthSettings[keys=" + keyDigests.keySet() + ", protectMetrics=" + protectMetrics + "]";
    }
}
