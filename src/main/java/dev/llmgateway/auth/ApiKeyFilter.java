package dev.llmgateway.auth;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.config.GatewaySettings;
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

    @Inject
    GatewaySettings settings;

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
        if (!settings.auth().enabled() || isOpen(request)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> name = keys.nameOf(presented(request));
        if (name.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            REFUSED.writeTo(response);
            return;
        }
        RequestState state = RequestState.of(request);
        if (state != null) {
            state.authenticatedAs(name.get());
        }
        chain.doFilter(request, response);
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
        } else if (settings.auth().enabled()) {
            Optional<String> name = keys.nameOf(presented);
            if (name.isEmpty()) {
                response.setHeader("WWW-Authenticate", "Bearer");
                REFUSED.writeTo(response);
                return;
            }
            if (state != null) {
                state.authenticatedAs(name.get());
            }
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
