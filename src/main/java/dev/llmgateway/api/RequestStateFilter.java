package dev.llmgateway.api;

import dev.llmgateway.calls.CallThreads;
import dev.llmgateway.calls.DispatchThread;
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
import java.util.concurrent.Executor;

/**
 * Makes the request's {@link RequestState}, right after the startup gate (mapped in web.xml on every path), and keeps
 * it current in the OpenTelemetry context for the rest of the chain. A request answered on this thread runs the work
 * waiting for its answer as this filter unwinds, and hands its listeners to a virtual thread (on Java 17 they run here);
 * one whose call another thread carries ends when that thread is done.
 */
public class RequestStateFilter extends HttpFilter {

    @Inject
    GatewayEvents events;

    private final Executor elsewhere = CallThreads.elsewhere();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        DispatchThread.entered(); // this thread is done with any request it dispatched before
        RequestState state = RequestState.open(request, elsewhere, events::unexpected);
        try {
            try (Scope ignored = Context.current().with(state).makeCurrent()) {
                try {
                    chain.doFilter(request, response);
                } finally {
                    if (!state.deferred()) {
                        // answered on this thread, still inside the container's dispatch: the listeners run on a thread of their own
                        state.completedElsewhere();
                    }
                }
            }
        } finally {
            state.dispatchLeft(); // a call carried elsewhere may complete the request from now on
        }
    }
}
