package dev.llmgateway.keys;

import dev.llmgateway.config.FunctionSettings;

import java.time.Instant;
import java.util.Set;

/**
 * A key made through the admin API, as every instance holds it in memory: never its secret, only the secret's digest.
 *
 * @param id        stable across rotations
 * @param hint      the secret's first characters, to tell keys apart in listings
 * @param models    the models it may call (exact names, or {@code *} for any)
 * @param functions the functions it may call (names, or {@code *})
 * @param expiresAt null when it does not expire
 * @param revokedAt null while it is not revoked
 */
public record VirtualKey(String id, String name, String team, String sha256, String hint, String metadata, Set<String> models,
                         Set<String> functions, Limits limits, Instant createdAt, Instant updatedAt,
                         Instant expiresAt, Instant revokedAt, long revision) {

    public VirtualKey {
        models = Set.copyOf(models);
        functions = Set.copyOf(functions);
    }

    /** Whether the key opens the gateway at {@code now}. */
    boolean usable(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /**
     * Whether the key may call what a client named in {@code model}: a model, or {@code function::<name>}. With neither
     * list set it may call anything; with one set, only what that list names (a key limited to some models calls no
     * function, whose variants could reach others).
     */
    public boolean mayCall(String model) {
        if (model.startsWith(FunctionSettings.PREFIX)) {
            return functions.isEmpty() ? models.isEmpty() : functions.contains(model.substring(FunctionSettings.PREFIX.length())) || functions.contains("*");
        }
        return models.isEmpty() ? functions.isEmpty() : models.contains(model) || models.contains("*");
    }

    @Override
    public String toString() {
        return "VirtualKey[" + id + ", " + name + "]";
    }
}
