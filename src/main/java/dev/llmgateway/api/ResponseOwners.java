package dev.llmgateway.api;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which provider answered each recent response this gateway passed on, so that a later {@code GET} or {@code DELETE}
 * of it reaches the provider that keeps it. Bounded: the oldest are forgotten first, and a gateway that did not see a
 * response (another replica, a restart) is told its model with {@code ?model=}.
 */
@ApplicationScoped
public class ResponseOwners {

    static final int REMEMBERED = 100_000;

    private final Map<String, String> providerById = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public synchronized void remember(String responseId, String provider) {
        if (responseId != null && !responseId.isEmpty() && responseId.length() <= StoredResponsesResource.MAX_ID_CHARS) {
            providerById.put(responseId, provider);
        }
    }

    public synchronized Optional<String> provider(String responseId) {
        return Optional.ofNullable(providerById.get(responseId));
    }
}
