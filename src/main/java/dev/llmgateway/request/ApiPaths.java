package dev.llmgateway.request;

import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one reading of a request's path that security, metrics and sampling decide on: the path inside the
 * application as the container routes it, never the raw request URI ({@code /%76%31/chat/completions} reaches
 * the {@code /v1/*} servlets on both runtimes).
 */
public final class ApiPaths {

    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    public static final String EMBEDDINGS = "/v1/embeddings";
    public static final String COMPLETIONS = "/v1/completions";
    public static final String RESPONSES = "/v1/responses";
    public static final String MODELS = "/v1/models";
    public static final String MESSAGES = "/v1/messages";
    public static final String COUNT_TOKENS = "/v1/messages/count_tokens";
    /** The admin API: the ledger's queries and feedback. */
    public static final String ADMIN = "/admin/";

    private ApiPaths() {
    }

    /**
     * The path the container mapped, inside the application: servlet path plus path info, as the container decoded and
     * normalised it (never decoded again). Where the container cannot say (Liberty throws from {@code getPathInfo()}
     * for some path parameters), the raw path after the context root, decoded and normalised once.
     */
    public static String routed(HttpServletRequest request) {
        try {
            // already decoded once by the container: decoding again would read %252e as a dot segment
            String servletPath = request.getServletPath();
            String pathInfo = request.getPathInfo();
            String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
            return path.startsWith("/") ? path : "/" + path;
        } catch (RuntimeException unreadable) {
            String uri = request.getRequestURI();
            String context = request.getContextPath();
            return normalise(context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri);
        }
    }

    /** Whether the container can say which path it routed; when it cannot, the application cannot serve it either. */
    public static boolean readable(HttpServletRequest request) {
        try {
            request.getServletPath();
            request.getPathInfo();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the path names an endpoint that calls a provider. */
    public static boolean isInference(String normalisedPath) {
        return endpoint(normalisedPath) != null;
    }

    /** The inference endpoint the path names ({@code chat_completions}, {@code embeddings}, {@code completions}, {@code responses}, {@code messages}), or null. */
    public static String endpoint(String normalisedPath) {
        if (normalisedPath.endsWith(MESSAGES)) {
            return "messages";
        }
        if (normalisedPath.endsWith(COUNT_TOKENS)) {
            return "messages_count_tokens";
        }
        if (normalisedPath.endsWith(CHAT_COMPLETIONS)) {
            return "chat_completions";
        }
        if (normalisedPath.endsWith(EMBEDDINGS)) {
            return "embeddings";
        }
        if (normalisedPath.endsWith(RESPONSES)) {
            return "responses";
        }
        return normalisedPath.endsWith(COMPLETIONS) ? "completions" : null;
    }

    /** Whether the path is one of Anthropic's Messages API, which answers errors in Anthropic's shape. */
    public static boolean speaksAnthropic(String routedPath) {
        return routedPath.equals(MESSAGES) || routedPath.startsWith(MESSAGES + "/");
    }

    /** Whether the path names one of the model list endpoints. */
    public static boolean isModels(String normalisedPath) {
        return normalisedPath.endsWith(MODELS) || normalisedPath.contains(MODELS + "/");
    }

    /**
     * A raw or routed path as a container would map it: percent-escapes decoded (escaped slashes included), path
     * parameters ({@code ;jsessionid=…}) dropped, duplicate slashes collapsed, dot segments resolved, no trailing
     * slash. Query and fragment are cut off. Decoding happens once, as the containers do.
     */
    public static String normalise(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (plain(path)) {
            return path; // what nearly every request looks like: nothing to decode or resolve (the sampler sees each)
        }
        int end = path.length();
        int query = path.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : path.substring(0, end).split("/")) {
            int parameters = raw.indexOf(';');
            String segment = decode(parameters >= 0 ? raw.substring(0, parameters) : raw);
            for (String part : segment.replace('\\', '/').split("/")) {
                switch (part) {
                    case "", "." -> {
                    }
                    case ".." -> segments.pollLast();
                    default -> segments.addLast(part);
                }
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Starts with a slash, no escapes, parameters, queries, backslashes, empty or dot segments, no trailing slash. */
    private static boolean plain(String path) {
        if (path.charAt(0) != '/' || (path.length() > 1 && path.charAt(path.length() - 1) == '/')) {
            return false;
        }
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == ';' || c == '?' || c == '#' || c == '\\' || (c == '/' && path.charAt(i - 1) == '/')
                    || (c == '.' && path.charAt(i - 1) == '/')) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            int high = c == '%' && i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
