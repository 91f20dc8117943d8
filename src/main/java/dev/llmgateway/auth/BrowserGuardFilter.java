package dev.llmgateway.auth;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.config.GatewaySettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages from spending the operator's credits. Browsers send {@code Origin} on every cross-origin request
 * and on every POST: a request from an origin the operator did not allow is refused before anything else, and so
 * is a POST whose body is not declared JSON (the media types a browser may send without asking first). Allowed
 * origins get CORS answers, preflights included; without any configured, no CORS header is ever sent. A path the
 * container cannot resolve (its own failure) is a 400 here rather than a 500 further in. Mapped in web.xml on every
 * path before the key check, since preflights carry no key.
 */
public class BrowserGuardFilter extends HttpFilter {

    private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    private static final String EXPOSED_HEADERS = "Retry-After, X-Gateway-Inference-Id, X-Gateway-Function, X-Gateway-Variant, "
            + "X-Gateway-Model, X-Gateway-Provider, X-Gateway-Attempts";
    private static final ApiError FOREIGN_ORIGIN = new ApiError(403, ApiError.INVALID_REQUEST, "origin_not_allowed", null,
            "Requests from this browser origin are not allowed (gateway.cors.allowed-origins)", null);
    private static final ApiError UNREADABLE_PATH = ApiError.invalidRequest("The request path is not one this gateway can read", null);
    private static final ApiError NOT_JSON = new ApiError(415, ApiError.INVALID_REQUEST, "unsupported_media_type", null,
            "The request body must be JSON: send 'Content-Type: application/json'", null);

    @Inject
    GatewaySettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!ApiPaths.readable(request)) {
            UNREADABLE_PATH.writeTo(response);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            if (!allowed(origin)) {
                FOREIGN_ORIGIN.writeTo(response);
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.addHeader("Vary", "Origin");
            if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
                preflight(request, response);
                return;
            }
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        if ("POST".equals(request.getMethod()) && !isJson(request.getContentType())) {
            NOT_JSON.writeTo(response);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean allowed(String origin) {
        Set<String> allowed = settings.auth().allowedOrigins();
        return allowed.contains("*") || allowed.contains(origin.toLowerCase(Locale.ROOT));
    }

    private static void preflight(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(204);
        response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        String asked = request.getHeader("Access-Control-Request-Headers");
        if (asked != null) {
            // every header is checked where it is read; the key check still applies to the request itself
            response.setHeader("Access-Control-Allow-Headers", asked);
        }
        response.setHeader("Access-Control-Max-Age", "600");
    }

    /** {@code application/json} or a {@code +json} type, in UTF-8 (JSON's only encoding between systems) or unstated. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equals("application/json")) {
            return true; // what SDKs send: no parsing on the hot path
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=") && !parameter.substring(8).replace("\"", "").strip().equals("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
