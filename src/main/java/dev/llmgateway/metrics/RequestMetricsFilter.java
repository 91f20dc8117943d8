package dev.llmgateway.metrics;

import dev.llmgateway.auth.Caller;
import dev.llmgateway.calls.RequestEnd;
import dev.llmgateway.api.ApiPaths;
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
                GatewayMetrics.shared().request(endpoint(ApiPaths.routed(request)), keyName == null ? "" : (String) keyName,
                        status != 0 ? status : response.getStatus(), System.nanoTime() - start, waited);
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
        return "other";
    }
}
