package dev.llmgateway.telemetry.export;

import dev.llmgateway.config.ApiKeySettings;
import dev.llmgateway.config.RequestExportSettings;
import dev.llmgateway.json.Json;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a request's {@code gateway-otlp-traces-extra-header-*}, {@code -extra-attribute-*} and
 * {@code -extra-resource-*} headers (TensorZero's {@code tensorzero-otlp-traces-extra-*} alike) and refuses,
 * naming the header, anything that could break or hijack the export, exceed the limits, or that the operator
 * switched off. Attribute values are JSON scalars (string, boolean, number); other text is taken as a string.
 */
public final class ExportHeaderParser {

    public static final List<String> PREFIXES = List.of("gateway-otlp-traces-extra-", "tensorzero-otlp-traces-extra-");

    /**
     * Export headers that belong to the transport or steer proxies between the gateway and the collector: a client
     * setting one would break, redirect or impersonate the export.
     */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "content-encoding", "accept-encoding",
            "host", "te", "connection", "keep-alive", "transfer-encoding", "upgrade", "expect", "trailer",
            "forwarded", "via", "cookie", "cookie2", "x-real-ip", "x-client-ip", "true-client-ip", "x-original-url", "x-rewrite-url",
            "x-http-method-override", "x-http-method", "x-method-override", "origin", "referer");
    private static final List<String> RESERVED_PREFIXES = List.of("grpc-", "proxy-", "x-forwarded-");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e\\t]*");
    /**
     * Span attribute namespaces the gateway, the runtime or the conventions they follow write, at span start or
     * later: a client value there would pass for theirs (an {@code error.type} on a success).
     */
    private static final List<String> OWNED_ATTRIBUTES = List.of("gateway.", "gen_ai.", "error.", "exception.", "http.", "url.",
            "server.", "client.", "network.", "user_agent.", "otel.", "code.", "thread.", "rpc.", "net.", "peer.", "db.", "messaging.",
            "service.", "telemetry.", "llm.", "openinference.", "input.", "output.", "session.", "enduser.");
    /** Resource namespaces that describe the deployment: the operator's or the runtime's to set, unless allowed. */
    private static final List<String> OWNED_RESOURCES = List.of("service.", "host.", "telemetry.", "deployment.", "process.", "os.",
            "container.", "k8s.", "cloud.", "faas.", "webengine.", "device.", "otel.", "gateway.");

    private enum Kind {
        HEADER("header-"), ATTRIBUTE("attribute-"), RESOURCE("resource-");

        final String infix;

        Kind(String infix) {
            this.infix = infix;
        }
    }

    private final RequestExportSettings settings;
    private final Set<String> staticHeaders;
    private final Set<String> keyHeaders;
    private final String headersUnavailable;
    private final String routingUnavailable;

    /**
     * @param staticHeaders      lower-case names of the headers configuration puts on every export
     * @param headersUnavailable why extra export headers cannot be honoured here, or null when they can
     * @param routingUnavailable why nothing per request can be honoured here, or null when it can
     */
    public ExportHeaderParser(RequestExportSettings settings, Set<String> staticHeaders, String headersUnavailable, String routingUnavailable) {
        this(settings, staticHeaders, Set.of(), headersUnavailable, routingUnavailable);
    }

    /** @param keyHeaders lower-case names of the export headers any gateway key configures: no request may set one */
    public ExportHeaderParser(RequestExportSettings settings, Set<String> staticHeaders, Set<String> keyHeaders, String headersUnavailable,
                              String routingUnavailable) {
        this.settings = settings;
        this.keyHeaders = Set.copyOf(keyHeaders);
        this.staticHeaders = Set.copyOf(staticHeaders);
        this.headersUnavailable = headersUnavailable;
        this.routingUnavailable = routingUnavailable;
    }

    /** Whether a request header is one of ours, whatever its case. */
    public static boolean isExportHeader(String name) {
        for (String prefix : PREFIXES) {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /** @param requestHeaders the request's export headers (see {@link #isExportHeader}) with every value sent */
    public ExportOverrides parse(Map<String, List<String>> requestHeaders) {
        return parse(requestHeaders, null);
    }

    /**
     * @param requestHeaders the request's export headers (see {@link #isExportHeader}) with every value sent
     * @param key            the gateway key the request presented, or null: its export headers are added, cannot be
     *                       replaced, and its allow-list replaces the global one
     */
    public ExportOverrides parse(Map<String, List<String>> requestHeaders, ApiKeySettings key) {
        Map<String, String> keyHeaders = new TreeMap<>();
        if (key != null) {
            key.exportHeaders().forEach((name, value) -> keyHeaders.put(name, value.reveal()));
        }
        if (requestHeaders.isEmpty()) {
            return keyHeaders.isEmpty() ? ExportOverrides.NONE : new ExportOverrides(keyHeaders, Attributes.empty(), Attributes.empty());
        }
        if (routingUnavailable != null) {
            throw refuse(requestHeaders.keySet().iterator().next(), "asks for something of the OTLP export, which this deployment cannot honour: "
                    + routingUnavailable + ".");
        }
        if (requestHeaders.size() > settings.maxEntries()) {
            throw new InvalidExportHeaderException(requestHeaders.keySet().iterator().next(), "A request may carry at most "
                    + settings.maxEntries() + " OTLP export headers, attributes and resource attributes; this one has " + requestHeaders.size() + ".");
        }
        Map<String, String> headers = new TreeMap<>();
        AttributesBuilder attributes = Attributes.builder();
        AttributesBuilder resource = Attributes.builder();
        Map<String, String> seen = new TreeMap<>();
        int totalBytes = 0;
        for (Map.Entry<String, List<String>> header : requestHeaders.entrySet()) {
            String requestHeader = header.getKey();
            String lower = requestHeader.toLowerCase(Locale.ROOT);
            String prefix = PREFIXES.stream().filter(lower::startsWith).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not an export header: " + requestHeader));
            Kind kind = kindOf(requestHeader, lower.substring(prefix.length()));
            String name = lower.substring(prefix.length() + kind.infix.length());
            String value = singleValue(requestHeader, header.getValue());
            String earlier = seen.put(kind + name, requestHeader);
            if (earlier != null) {
                throw refuse(requestHeader, "sets the same " + kind.name().toLowerCase(Locale.ROOT) + " as '" + earlier + "'.");
            }
            totalBytes += name.length() + value.length();
            if (totalBytes > settings.maxTotalBytes()) {
                throw refuse(requestHeader, "takes the request's OTLP export headers past " + settings.maxTotalBytes() + " bytes.");
            }
            switch (kind) {
                case HEADER -> headers.put(checkedHeaderName(requestHeader, name, key), value);
                case ATTRIBUTE -> put(attributes, checkedAttributeKey(requestHeader, name), requestHeader, value);
                case RESOURCE -> put(resource, checkedResourceKey(requestHeader, name), requestHeader, value);
            }
        }
        headers.putAll(keyHeaders);
        return new ExportOverrides(headers, attributes.build(), resource.build());
    }

    private Kind kindOf(String requestHeader, String rest) {
        for (Kind kind : Kind.values()) {
            if (rest.startsWith(kind.infix) && rest.length() > kind.infix.length()) {
                boolean enabled = switch (kind) {
                    case HEADER -> settings.headers();
                    case ATTRIBUTE -> settings.attributes();
                    case RESOURCE -> settings.resources();
                };
                if (!enabled) {
                    throw refuse(requestHeader, "asks for an extra export " + kind.name().toLowerCase(Locale.ROOT)
                            + ", which this gateway does not accept from clients.");
                }
                return kind;
            }
        }
        throw refuse(requestHeader, "is not an OTLP export header: use <prefix>header-<name>, <prefix>attribute-<key> or <prefix>resource-<key>.");
    }

    private String singleValue(String requestHeader, List<String> values) {
        if (values.size() != 1) {
            throw refuse(requestHeader, "was sent " + values.size() + " times; send it once.");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw refuse(requestHeader, "has an empty value.");
        }
        if (!PRINTABLE.matcher(value).matches()) {
            throw refuse(requestHeader, "has a value with characters other than printable ASCII (use JSON \\u escapes in attribute values).");
        }
        if (value.length() > settings.maxValueBytes()) {
            throw refuse(requestHeader, "has a value longer than " + settings.maxValueBytes() + " bytes.");
        }
        return value;
    }

    private String checkedHeaderName(String requestHeader, String name, ApiKeySettings key) {
        if (headersUnavailable != null) {
            throw refuse(requestHeader, "asks for an extra export header, which this deployment cannot honour: " + headersUnavailable + ".");
        }
        if (!TOKEN.matcher(name).matches() || name.endsWith("-bin")) {
            throw refuse(requestHeader, "names an export header that is not a valid HTTP header and gRPC metadata name.");
        }
        if (RESERVED.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
            throw refuse(requestHeader, "names '" + name + "', a transport or proxy header a client may not set on the export.");
        }
        if (keyHeaders.contains(name) || (key != null && key.exportHeaders().containsKey(name))) {
            throw refuse(requestHeader, "names '" + name + "', which the gateway sets for an API key.");
        }
        Set<String> allowed = key == null ? settings.allowedHeaders() : key.exportHeaderAllowList().orElse(settings.allowedHeaders());
        boolean listed = key != null && key.exportHeaderAllowList().isPresent();
        if ((listed || !allowed.isEmpty()) && !allowed.contains(name)) {
            throw refuse(requestHeader, "names '" + name + "', which is not among the export headers this gateway lets clients set.");
        }
        if (!settings.overrideStaticHeaders() && staticHeaders.contains(name)) {
            throw refuse(requestHeader, "names '" + name + "', which the gateway's configuration sets on every export.");
        }
        return name;
    }

    private static String checkedAttributeKey(String requestHeader, String key) {
        for (String namespace : OWNED_ATTRIBUTES) {
            if (key.startsWith(namespace)) {
                throw refuse(requestHeader, "names an attribute in the namespace '" + namespace + "', which the gateway or the runtime sets.");
            }
        }
        return key;
    }

    private String checkedResourceKey(String requestHeader, String key) {
        if (settings.allowedResourceKeys().contains(key)) {
            return key;
        }
        for (String namespace : OWNED_RESOURCES) {
            if (key.startsWith(namespace)) {
                throw refuse(requestHeader, "names a resource attribute in the namespace '" + namespace
                        + "', which the operator or the runtime sets (gateway.tracing.request-export.allowed-resource-keys).");
            }
        }
        return key;
    }

    private static void put(AttributesBuilder attributes, String key, String requestHeader, String value) {
        JsonValue json = Json.literal(value);
        switch (json.getValueType()) {
            case TRUE -> attributes.put(AttributeKey.booleanKey(key), true);
            case FALSE -> attributes.put(AttributeKey.booleanKey(key), false);
            case NUMBER -> {
                JsonNumber number = (JsonNumber) json;
                if (number.isIntegral()) {
                    attributes.put(AttributeKey.longKey(key), number.longValue());
                } else {
                    attributes.put(AttributeKey.doubleKey(key), number.doubleValue());
                }
            }
            case STRING -> attributes.put(AttributeKey.stringKey(key), ((JsonString) json).getString());
            default -> throw refuse(requestHeader, "has a JSON " + json.getValueType().name().toLowerCase(Locale.ROOT)
                    + " value; attribute values are strings, booleans or numbers.");
        }
    }

    private static InvalidExportHeaderException refuse(String requestHeader, String reason) {
        return new InvalidExportHeaderException(requestHeader, "Header '" + requestHeader + "' " + reason);
    }
}
