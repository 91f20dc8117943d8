package dev.llmgateway.api;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which provider answered each recent response this gateway passed on, and for which gateway key, so that a later
 * {@code GET}, {@code DELETE}, {@code cancel} or {@code previous_response_id} reaches the provider that keeps it, for
 * that key only. Bounded: the oldest are forgotten first, and a response forgotten (or made through another replica,
 * or before a restart) is unknown, as a response of another key is.
 */
@ApplicationScoped
public class ResponseOwners {

    static final int REMEMBERED = 100_000;

    /** Who made a response: the provider that keeps it and the gateway key that asked (empty with keys off). */
    record Owner(String provider, String keyName) {
    }

    private final Map<String, Owner> owners = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Owner> eldest) {
            return size() > REMEMBERED;
        }
    };

    public synchronized void remember(String responseId, String provider, String keyName) {
        if (responseId != null && !responseId.isEmpty() && responseId.length() <= StoredResponsesServlet.MAX_ID_CHARS) {
            owners.put(responseId, new Owner(provider, keyName));
        }
    }

    /** The provider that keeps the response, when the calling key made it. */
    public synchronized Optional<String> provider(String responseId, String keyName) {
        Owner owner = owners.get(responseId);
        return owner != null && owner.keyName().equals(keyName) ? Optional.of(owner.provider()) : Optional.empty();
    }
}
