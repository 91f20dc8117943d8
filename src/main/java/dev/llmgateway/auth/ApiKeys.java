package dev.llmgateway.auth;

import dev.llmgateway.config.AuthSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Finds which configured key a client presented, comparing digests in constant time. */
public final class ApiKeys {

    private final Map<String, byte[]> digests = new LinkedHashMap<>();
    private final byte[] admin;

    public ApiKeys(AuthSettings settings) {
        settings.keys().forEach((name, key) -> digests.put(name, key.sha256()));
        admin = settings.adminSha256();
    }

    /** Whether {@code presented} is the admin key; false when none is configured. */
    public boolean isAdmin(String presented) {
        return admin != null && presented != null && !presented.isEmpty() && MessageDigest.isEqual(sha256(presented), admin);
    }

    /** The name of the key whose SHA-256 matches; every configured digest is compared, matching or not. */
    public Optional<String> nameOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        return nameOfDigest(sha256(presented));
    }

    /** As {@link #nameOf(String)}, for a key's digest. */
    public Optional<String> nameOfDigest(byte[] digest) {
        String match = null;
        for (Map.Entry<String, byte[]> key : digests.entrySet()) {
            if (MessageDigest.isEqual(digest, key.getValue()) && match == null) {
                match = key.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
