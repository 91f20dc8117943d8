package dev.llmgateway.auth;

import dev.llmgateway.config.GatewaySettings;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <key>} on the API (and on /metrics when configured) once gateway keys
 * exist; a missing or wrong key gets 401 in OpenAI's shape. Mapped in web.xml, after the metrics filter, so
 * that refused requests are counted too.
 */
public class ApiKeyFilter extends HttpFilter {

    private static final byte[] REFUSED = ("{\"error\":{\"message\":\"Incorrect API key provided. Send the gateway key as "
            + "'Authorization: Bearer <key>'.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")
            .getBytes(StandardCharsets.UTF_8);

    @Inject
    GatewaySettings settings;

    private ApiKeys keys;

    @PostConstruct
    void bind() {
        keys = new ApiKeys(settings.auth());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!settings.auth().enabled() || (!request.getRequestURI().contains("/v1/") && !settings.auth().protectMetrics())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> name = keys.nameOf(bearer(request.getHeader("Authorization")));
        if (name.isEmpty()) {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType("application/json");
            response.setContentLength(REFUSED.length);
            response.getOutputStream().write(REFUSED);
            return;
        }
        request.setAttribute(Caller.KEY_NAME, name.get());
        Caller.authenticatedAs(name.get());
        try {
            chain.doFilter(request, response);
        } finally {
            Caller.leave();
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }
}
