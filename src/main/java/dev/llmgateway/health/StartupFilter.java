package dev.llmgateway.health;

import dev.llmgateway.request.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * First on every path: before the deployment is complete nothing is served, so no request can touch a bean (the
 * configuration, the key check) before the deployment has built it. Health probes get MicroProfile Health's DOWN.
 */
public class StartupFilter extends HttpFilter {

    private static final ApiError STARTING = new ApiError(503, "server_error", "gateway_starting", null,
            "The gateway is starting; retry shortly", Duration.ofSeconds(1));
    private static final byte[] DOWN = "{\"status\":\"DOWN\",\"checks\":[]}".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        // liveness says the process is up, whatever its deployment: a probe of it must not restart a slow start
        if (Startup.finished() || request.getServletPath().equals("/health/live")) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getServletPath().startsWith("/health")) {
            response.setStatus(503);
            response.setContentType("application/json");
            response.setContentLength(DOWN.length);
            response.getOutputStream().write(DOWN);
            return;
        }
        STARTING.writeTo(response);
    }
}
