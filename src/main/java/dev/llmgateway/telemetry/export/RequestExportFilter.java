package dev.llmgateway.telemetry.export;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.config.ApiKeySettings;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.request.RequestState;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request's extra OTLP export headers, attributes and resources (mapped in web.xml on the API, after the
 * key check) with the export headers the caller's gateway key configures, and routes the spans the request starts
 * accordingly; a refused one gets 400 naming the header, one that cannot get an exporter now 429.
 */
public class RequestExportFilter extends HttpFilter {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    @Inject
    GatewaySettings settings;

    @Inject
    RequestRoutes routes;
    /** Export header names any gateway key configures: no request may set one, whatever key it presents. */
    private final Set<String> keyHeaders = new HashSet<>();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        Map<String, List<String>> exportHeaders = exportHeaders(request);
        ApiKeySettings key = callerKey(request);
        if (exportHeaders.isEmpty() && (key == null || key.exportHeaders().isEmpty())) {
            chain.doFilter(request, response);
            return;
        }
        ExportOverrides overrides;
        try {
            overrides = parser().parse(exportHeaders, key);
        } catch (InvalidExportHeaderException e) {
            new ApiError(400, ApiError.INVALID_REQUEST, "invalid_export_header", e.header(), e.getMessage(), null).writeTo(response);
            return;
        }
        if (routes.pipeline().isEmpty()) {
            chain.doFilter(request, response); // tracing is off: nothing is exported, so nothing to route
            return;
        }
        RequestState state = RequestState.of(request);
        if (state == null) {
            chain.doFilter(request, response); // outside the paths the request state covers: nothing to route by
            return;
        }
        RequestRoutes.Scope scope;
        try {
            scope = routes.enter(overrides, key == null ? "" : key.name(), exportHeaders.isEmpty(), state);
        } catch (ExportRouteUnavailableException e) {
            new ApiError(429, "rate_limit_error", "export_routes_exhausted", null,
                    "The gateway cannot take on this request's OTLP export headers right now: " + e.getMessage(), RETRY_AFTER).writeTo(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            state.afterAnswer(scope::end);
        }
    }

    private ApiKeySettings callerKey(HttpServletRequest request) {
        RequestState state = RequestState.of(request);
        return state == null || state.keyName().isEmpty() ? null : settings.auth().keys().get(state.keyName());
    }

    @PostConstruct
    void collectKeyHeaders() {
        settings.auth().keys().values().forEach(key -> keyHeaders.addAll(key.exportHeaders().keySet()));
    }

    private ExportHeaderParser parser() {
        var tracing = settings.tracing().requestExport();
        String unavailable = routes.unavailable().orElse(null);
        if (unavailable != null) {
            return new ExportHeaderParser(tracing, Set.of(), keyHeaders, null, unavailable);
        }
        return routes.pipeline()
                .map(pipeline -> new ExportHeaderParser(tracing, pipeline.staticHeaders().keySet(), keyHeaders, pipeline.headersUnavailable(), null))
                .orElseGet(() -> new ExportHeaderParser(tracing, Set.of(), keyHeaders, null, null));
    }

    private static Map<String, List<String>> exportHeaders(HttpServletRequest request) {
        Map<String, List<String>> found = Map.of();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (ExportHeaderParser.isExportHeader(name)) {
                if (found.isEmpty()) {
                    found = new LinkedHashMap<>();
                }
                found.put(name, Collections.list(request.getHeaders(name)));
            }
        }
        return found;
    }
}
