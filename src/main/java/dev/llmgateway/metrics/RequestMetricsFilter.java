package dev.llmgateway.metrics;

import dev.llmgateway.auth.Caller;
import dev.llmgateway.calls.RequestEnd;
import dev.llmgateway.api.ApiPaths;
import dev.llmgateway.telemetry.GenAiMetrics;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Counts and times every API request (mapped in web.xml) once it is answered; the endpoint label is one of a fixed
 * few, whatever path was asked for, and the key label a configured key name.
 */
public class RequestMetricsFilter extends HttpFilter {

    @Inject
    GenAiMetrics genAi;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        long start = System.nanoTime();
        UpstreamClock upstream = UpstreamClock.start();
        int escaped = 0;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            escaped = 500; // the container answers it with 500 after this filter has returned
            throw e;
        } finally {
            UpstreamClock.leave();
            int status = escaped;
            RequestEnd.after(request, () -> {
                long waited = upstream.stop();
                Object keyName = request.getAttribute(Caller.KEY_NAME);
                String endpoint = endpoint(ApiPaths.routed(request));
                int answered = status != 0 ? status : response.getStatus();
                long nanos = System.nanoTime() - start;
                GatewayMetrics.shared().request(endpoint, keyName == null ? "" : (String) keyName, answered, nanos, waited);
                genAi.request(endpoint, answered, nanos, waited);
            });
        }
    }

    static String endpoint(String path) {
        String inference = ApiPaths.endpoint(path);
        if (inference != null) {
            return inference;
        }
        if (ApiPaths.isModels(path)) {
            return "models";
        }
        if (path.startsWith(ApiPaths.RESPONSES + "/")) {
            return "responses_stored";
        }
        return "other";
    }
}
