package dev.llmgateway.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.llmgateway.config.ApplicationConfig;
import dev.llmgateway.request.RequestState;

import java.io.IOException;
import java.util.Collections;

/**
 * Opens the SERVER span of an inference request where the runtime does not: Open Liberty traces every servlet
 * request itself, so this filter steps aside there; Payara traces JAX-RS resources only, and chat completions
 * are a plain servlet. Continues an incoming traceparent as the runtimes do, with the stable HTTP attribute names.
 */
public class ServerSpanFilter extends HttpFilter {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String name) {
            return request == null ? null : request.getHeader(name);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    Tracer tracer;

    private boolean tracing;
    private TextMapPropagator propagator;

    @Override
    public void init() {
        // with the SDK off MicroProfile Telemetry may still hand out recording spans (Payara does); none is wanted
        boolean sdkOn = TracingConfigSource.sdkEnabled(ApplicationConfig.get());
        // Liberty's telemetry opens its server span after the application's filters, so it is not current yet here
        tracing = sdkOn && !getServletContext().getServerInfo().contains("Liberty");
        propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!tracing) {
            chain.doFilter(request, response);
            return;
        }
        // the parent comes from the request's headers alone: Payara's request threads can carry a stale context
        RequestState state = RequestState.of(request);
        Context incoming = propagator.extract(state == null ? Context.root() : Context.root().with(state), request, HEADERS);
        // the servlet's own pattern: a bounded route whatever spelling of the path reached it
        String route = request.getHttpServletMapping().getPattern();
        Span span = tracer.spanBuilder(request.getMethod() + " " + route)
                .setParent(incoming)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, request.getMethod())
                .setAttribute(PATH, request.getRequestURI())
                .setAttribute(SCHEME, request.getScheme())
                .setAttribute(HTTP_ROUTE, route)
                .setAttribute(SERVER_ADDRESS, request.getServerName())
                .setAttribute(SERVER_PORT, (long) request.getServerPort())
                .setAttribute(CLIENT_ADDRESS, request.getRemoteAddr())
                .setAttribute(PROTOCOL_VERSION, version(request.getProtocol()))
                .startSpan();
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null) {
            span.setAttribute(USER_AGENT, userAgent);
        }
        // the incoming context, not just the span, becomes current: its baggage travels upstream
        Throwable escaped = null;
        try (Scope ignored = incoming.with(span).makeCurrent()) {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            escaped = e;
            throw e;
        } finally {
            Throwable failure = escaped;
            if (state == null) {
                end(span, response, failure);
            } else {
                state.afterAnswer(() -> {
                    if (state.refusal() != null) {
                        span.setAttribute(SpanAttributes.LowCardinality.LIMIT_REFUSED, state.refusal());
                        span.setAttribute(SpanAttributes.LowCardinality.API_KEY, state.keyName());
                    }
                    end(span, response, failure);
                });
            }
        }
    }

    /** Ends the span once the request is answered, by whichever thread answered it last. */
    private static void end(Span span, HttpServletResponse response, Throwable escaped) {
        if (escaped != null) {
            span.setAttribute(ERROR_TYPE, escaped.getClass().getName());
            span.setStatus(StatusCode.ERROR);
        } else {
            int status = response.getStatus();
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) {
                span.setAttribute(ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }

    /** {@code HTTP/1.1} → {@code 1.1}, as the conventions write it. */
    private static String version(String protocol) {
        int slash = protocol.indexOf('/');
        return slash < 0 ? protocol : protocol.substring(slash + 1);
    }
}
