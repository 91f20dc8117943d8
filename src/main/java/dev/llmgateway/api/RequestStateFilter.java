package dev.llmgateway.api;

import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Makes the request's {@link RequestState}, right after the startup gate (mapped in web.xml on every path), and keeps
 * it current in the OpenTelemetry context for the rest of the chain. A request answered on this thread runs the work
 * waiting for its answer, and its listeners, as this filter unwinds; one whose call another thread carries, when that
 * thread is done.
 */
public class RequestStateFilter extends HttpFilter {

    @Inject
    GatewayEvents events;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        RequestState state = RequestState.open(request);
        try (Scope ignored = Context.current().with(state).makeCurrent()) {
            chain.doFilter(request, response);
        } finally {
            if (!state.deferred()) {
                // answered here: with the call on this thread, the listeners run before the container sends the last bytes
                state.completed(events::unexpected);
            }
        }
    }
}
