package dev.llmgateway.api;

import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.request.RequestState;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Announces every API request (mapped in web.xml on /v1/*, before the key check, so refusals count too) once it is
 * answered; the endpoint is one of a fixed few, whatever path was asked for, and the key a configured key's name.
 */
public class RequestAnsweredFilter extends HttpFilter {

    @Inject
    GatewayEvents events;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        RequestState state = RequestState.of(request);
        if (state == null) {
            chain.doFilter(request, response);
            return;
        }
        // registered before the call, so that it is among the end work whichever thread ends the request, never late
        String endpoint = endpoint(ApiPaths.routed(request));
        int[] escaped = {0};
        state.afterAnswer(() -> {
            RequestAnswered answered = new RequestAnswered(endpoint, state.keyName(), escaped[0] != 0 ? escaped[0] : response.getStatus(),
                    System.nanoTime() - state.startNanos(), state.upstreamNanos());
            state.afterCompletion(() -> events.tell(answered));
        });
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            if (!state.deferred()) {
                escaped[0] = 500; // the container answers it with 500 after this filter has returned, on this thread's end work
            }
            throw e;
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
