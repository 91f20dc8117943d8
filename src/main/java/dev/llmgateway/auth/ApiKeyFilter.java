package dev.llmgateway.auth;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.keys.VirtualKey;
import dev.llmgateway.keys.VirtualKeys;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Once gateway keys exist, every path of the application needs one, except health and the scrape endpoint when it
 * is left open: the decision is taken on the path the container routed, so no spelling of a protected path escapes it.
 * Keys come as {@code Authorization: Bearer <key>} (OpenAI SDKs) or {@code x-api-key} (Anthropic SDKs).
 * Mapped in web.xml on every path, after the metrics filter, so that refused requests are counted too.
 */
public class ApiKeyFilter extends HttpFilter {

    private static final Set<String> SCRAPE_PATHS = Set.of("/metrics", "/gateway/metrics");
    private static final ApiError REFUSED = new ApiError(401, ApiError.INVALID_REQUEST, "invalid_api_key", null,
            "Incorrect API key provided. Send the gateway key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.", null);

    private static final ApiError KEYS_LOADING = new ApiError(503, "server_error", "keys_loading", null,
            "The gateway is still reading its keys; try again in a moment.", java.time.Duration.ofSeconds(1));

    @Inject
    GatewaySettings settings;

    @Inject
    VirtualKeys virtualKeys;

    private ApiKeys keys;

    @PostConstruct
    void bind() {
        keys = new ApiKeys(settings.auth());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (ApiPaths.routed(request).startsWith(ApiPaths.ADMIN)) {
            admin(request, response, chain);
            return;
        }
        if (isOpen(request) || !keysRequired()) {
            chain.doFilter(request, response);
            return;
        }
        if (identify(presented(request), RequestState.of(request), response)) {
            chain.doFilter(request, response);
        }
    }

    /** Whether the API needs a key: keys are configured, or virtual keys exist (or may: they are still being read). */
    private boolean keysRequired() {
        return settings.auth().enabled() || virtualKeys.state() == VirtualKeys.State.LOADING || virtualKeys.anyKeys();
    }

    /**
     * Finds the configured or virtual key {@code presented} is, and says so on the request's state; else answers 401 (or
     * 503 while the virtual keys are not read yet) and returns false. A revoked, expired or unknown key is refused alike.
     */
    private boolean identify(String presented, RequestState state, HttpServletResponse response) throws IOException {
        byte[] digest = presented == null || presented.isEmpty() ? null : ApiKeys.sha256(presented);
        Optional<String> name = digest == null ? Optional.empty() : keys.nameOfDigest(digest);
        if (name.isPresent()) {
            if (state != null) {
                state.authenticatedAs(name.get());
            }
            return true;
        }
        if (virtualKeys.state() == VirtualKeys.State.LOADING) {
            KEYS_LOADING.writeTo(response);
            return false;
        }
        if (digest == null) {
            return refuse(response);
        }
        VirtualKey key = virtualKeys.bySecretDigest(digest);
        if (key == null || !virtualKeys.usable(key)) {
            return refuse(response);
        }
        if (state != null) {
            state.authenticatedAs(key.name(), key.team(), key);
        }
        return true;
    }

    private static boolean refuse(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        REFUSED.writeTo(response);
        return false;
    }

    /**
     * The admin paths take the admin key, or a gateway key for what a key may do there (feedback on its own inferences);
     * without gateway keys a request with neither passes as nobody's, and the admin API decides what that may do.
     */
    private void admin(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String presented = presented(request);
        RequestState state = RequestState.of(request);
        if (keys.isAdmin(presented)) {
            if (state != null) {
                state.authenticatedAsAdmin();
            }
        } else if (keysRequired() && !identify(presented, state, response)) {
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Health (Payara Micro serves it inside the application's filter chain at context root /) and the scrape servlet
     * when left open, as the container mapped the request: nothing decoded twice, nothing else below the scrape path.
     */
    private boolean isOpen(HttpServletRequest request) {
        String path = ApiPaths.routed(request);
        if (path.equals("/health") || path.startsWith("/health/")) {
            return true;
        }
        return !settings.auth().protectMetrics() && SCRAPE_PATHS.contains(request.getServletPath()) && request.getPathInfo() == null;
    }

    /** The bearer token, else the x-api-key header; a request sending both must send the same key. */
    private static String presented(HttpServletRequest request) {
        String bearer = bearer(request.getHeader("Authorization"));
        String apiKey = request.getHeader("x-api-key");
        if (bearer != null && apiKey != null && !bearer.equals(apiKey.strip())) {
            return null;
        }
        return bearer != null ? bearer : apiKey == null ? null : apiKey.strip();
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }
}
