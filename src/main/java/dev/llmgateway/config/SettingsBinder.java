package dev.llmgateway.config;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds {@code gateway.*} properties into {@link GatewaySettings}, failing on the first invalid one.
 * Names of providers and models come from the {@code gateway.providers} / {@code gateway.models} lists
 * (which environment variables can set) and from the property names themselves.
 */
public final class SettingsBinder {

    public static final String PROVIDERS = "gateway.providers";
    public static final String MODELS = "gateway.models";
    public static final String FUNCTIONS = "gateway.functions";
    public static final String MAX_BODY_BYTES = "gateway.request.max-body-bytes";
    static final String MAX_JSON_DEPTH = "gateway.request.max-json-depth";
    static final String MAX_JSON_VALUES = "gateway.request.max-json-values";
    static final String MEMORY_BUDGET_BYTES = "gateway.request.memory-budget-bytes";
    static final String BODY_TIMEOUT_MS = "gateway.request.body-timeout-ms";
    static final String MIN_BODY_RATE = "gateway.request.min-body-bytes-per-second";
    static final String VIRTUAL_THREADS = "gateway.calls.virtual-threads";
    static final String MAX_IN_FLIGHT = "gateway.calls.max-in-flight";
    public static final String API_KEYS = "gateway.auth.keys";
    public static final String PROTECT_METRICS = "gateway.auth.protect-metrics";
    public static final String ALLOWED_ORIGINS = "gateway.cors.allowed-origins";
    public static final String CAPTURE_CONTENT = "gateway.tracing.capture-content";
    public static final String CAPTURE_CONTENT_MAX_CHARS = "gateway.tracing.capture-content-max-chars";
    public static final String ATTRIBUTE_VALUE_MAX_LENGTH = "gateway.tracing.attribute-value-max-length";
    public static final String PROPAGATE_TRACESTATE = "gateway.tracing.propagate-tracestate";
    public static final String PROPAGATE_BAGGAGE = "gateway.tracing.propagate-baggage";
    public static final String REQUEST_EXPORT = "gateway.tracing.request-export.";
    public static final String TRACE_FORMAT = "gateway.tracing.format";
    public static final String HOSTED_TOOLS = "gateway.translation.hosted-tools";
    public static final String METRICS_OTLP = "gateway.metrics.otlp.";
    public static final String LOGS_OTLP_ENABLED = "gateway.logs.otlp.enabled";
    public static final String KEEP_GEN_AI = "gateway.tracing.openinference.keep-gen-ai-attributes";
    public static final String PRICE = "gateway.price.";
    static final String PRICE_CURRENCY = "gateway.price.currency";
    public static final String LEDGER = "gateway.ledger.";
    public static final String ADMIN_KEY = "gateway.admin.key.sha256";
    public static final String KEYS = "gateway.keys.";
    public static final String LIMITS = "gateway.limits.";
    private static final Pattern PRICE_PROPERTY = Pattern.compile("gateway\\.price\\.(.+)\\.(input|output|cache-read|cache-write|reasoning)");
    private static final List<String> PRICE_FIELDS = List.of("input", "output", "cache-read", "cache-write", "reasoning");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
    private static final long MAX_MAX_BODY_BYTES = 1L << 30;
    public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._:/*-]{1,256}");
    private static final Pattern PROVIDER_PROPERTY = Pattern.compile("gateway\\.provider\\.([A-Za-z0-9_-]+)\\.type");
    private static final Pattern MODEL_PROPERTY = Pattern.compile("gateway\\.model\\.(.+)\\.routing");
    private static final Pattern KEY_PROPERTY = Pattern.compile("gateway\\.auth\\.key\\.([A-Za-z0-9_-]+)\\.sha256");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ORIGIN = Pattern.compile("\\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern FUNCTION_PROPERTY = Pattern.compile("gateway\\.function\\.([A-Za-z0-9_-]+)\\.variants");

    private final ConfigView config;

    private SettingsBinder(ConfigView config) {
        this.config = config;
    }

    public static GatewaySettings bind(ConfigView config) {
        return new SettingsBinder(config).bind();
    }

    private GatewaySettings bind() {
        Map<String, ProviderSettings> providers = new LinkedHashMap<>();
        for (String name : names(PROVIDERS, PROVIDER_PROPERTY)) {
            providers.put(name, provider(checkName(PROVIDERS, "provider", name)));
        }
        Map<String, ModelSettings> models = new LinkedHashMap<>();
        for (String name : names(MODELS, MODEL_PROPERTY)) {
            models.put(name, model(name, providers.keySet()));
        }
        checkAliases(models);
        Map<String, FunctionSettings> functions = new LinkedHashMap<>();
        for (String name : names(FUNCTIONS, FUNCTION_PROPERTY)) {
            functions.put(name, function(checkName(FUNCTIONS, "function", name), models.keySet()));
        }
        long maxBody = positiveLong(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
        if (maxBody > MAX_MAX_BODY_BYTES) {
            throw new InvalidConfigurationException(MAX_BODY_BYTES, "must be at most " + MAX_MAX_BODY_BYTES + " (1 GiB)");
        }
        var limits = new RequestLimits(maxBody, positiveInt(MAX_JSON_DEPTH, 64), positiveInt(MAX_JSON_VALUES, 200_000),
                positiveLong(MEMORY_BUDGET_BYTES, Runtime.getRuntime().maxMemory() / 3),
                java.time.Duration.ofMillis(positiveLong(BODY_TIMEOUT_MS, RequestLimits.DEFAULT_BODY_TIMEOUT.toMillis())),
                positiveLong(MIN_BODY_RATE, RequestLimits.DEFAULT_MIN_BODY_RATE));
        var tracing = new TracingSettings(bool(CAPTURE_CONTENT, false), positiveInt(CAPTURE_CONTENT_MAX_CHARS, 16_384),
                positiveInt(ATTRIBUTE_VALUE_MAX_LENGTH, TracingSettings.DEFAULT_MAX_ATTRIBUTE_CHARS),
                bool(PROPAGATE_TRACESTATE, false), bool(PROPAGATE_BAGGAGE, false), requestExport(), traceFormat());
        checkMetrics();
        var calls = new CallSettings(bool(VIRTUAL_THREADS, true), positiveInt(MAX_IN_FLIGHT, CallSettings.defaultMaxInFlight(Runtime.getRuntime().maxMemory())));
        AuthSettings auth = auth();
        return new GatewaySettings(providers, models, functions, limits, calls, tracing, auth, secrets(providers.values(), auth), refuseHostedTools(),
                prices(models), ledger(), keys());
    }

    /**
     * {@code gateway.price.<model>.<field>} and {@code gateway.price.<provider>/<model>.<field>}, per million tokens, for
     * the models the gateway serves (found by name, so environment variables work too); a price for anything else is a
     * mistake worth stopping for.
     */
    private Prices prices(Map<String, ModelSettings> models) {
        Set<String> priced = new TreeSet<>();
        for (ModelSettings model : models.values()) {
            priced.add(model.name());
            model.routing().forEach(provider -> priced.add(provider + "/" + model.name()));
        }
        for (String property : config.names()) {
            Matcher m = PRICE_PROPERTY.matcher(property);
            if (m.matches() && !priced.contains(m.group(1))) {
                throw new InvalidConfigurationException(property, "prices '" + m.group(1) + "', which is no model the gateway serves"
                        + " (gateway.price.<model>.<field> or gateway.price.<provider>/<model>.<field>)");
            }
        }
        Map<String, PriceSettings> byModel = new LinkedHashMap<>();
        for (String name : priced) {
            double[] fields = new double[PRICE_FIELDS.size()];
            boolean any = false;
            for (int i = 0; i < fields.length; i++) {
                fields[i] = price(PRICE + name + "." + PRICE_FIELDS.get(i));
                any |= !Double.isNaN(fields[i]);
            }
            if (any) {
                byModel.put(name, new PriceSettings(fields[0], fields[1], fields[2], fields[3], fields[4]));
            }
        }
        String currency = value(PRICE_CURRENCY).orElse("USD");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new InvalidConfigurationException(PRICE_CURRENCY, "must be an ISO 4217 code such as USD, got '" + currency + "'");
        }
        return new Prices(currency, byModel);
    }

    private double price(String property) {
        Optional<String> raw = value(property);
        if (raw.isEmpty()) {
            return Double.NaN;
        }
        try {
            double price = Double.parseDouble(raw.get());
            if (price < 0 || !Double.isFinite(price)) {
                throw new NumberFormatException();
            }
            return price;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(property, "must be a price per million tokens (a number, 0 or more), got '" + raw.get() + "'");
        }
    }

    private LedgerSettings ledger() {
        String traceUrl = value(LEDGER + "trace-url").orElse(null);
        if (traceUrl != null && !traceUrl.contains("{trace_id}")) {
            throw new InvalidConfigurationException(LEDGER + "trace-url", "must contain {trace_id}, where the trace's id goes");
        }
        return new LedgerSettings(bool(LEDGER + "enabled", true), value(LEDGER + "datasource").orElse(null),
                value(LEDGER + "embedded-path").orElse("llm-gateway-ledger"),
                intBetween(LEDGER + "queue-capacity", 20_000, 1, 10_000_000), intBetween(LEDGER + "batch-size", 500, 1, 10_000),
                millis(LEDGER + "flush-interval-ms", 200), millis(LEDGER + "max-wait-ms", 60_000),
                intBetween(LEDGER + "retention-days", 30, 0, 36_500), millis(LEDGER + "retention-interval-ms", 3_600_000), traceUrl);
    }

    private KeySettings keys() {
        return new KeySettings(Duration.ofMillis(intBetween(KEYS + "refresh-ms", 500, 50, 60_000)), intBetween(LIMITS + "slice-percent", 10, 1, 100),
                bool(LIMITS + "rate-fail-open", true), bool(LIMITS + "budget-fail-open", false),
                intBetween(LIMITS + "default-max-tokens", 4096, 1, 10_000_000), intBetween(KEYS + "labelled-keys", 100, 0, 10_000));
    }

    /** Export headers' values: {@code name=value} pairs separated by commas, as OpenTelemetry's settings take them. */
    private static final List<String> EXPORT_HEADER_SETTINGS = List.of("gateway.tracing.headers", "otel.exporter.otlp.headers",
            "otel.exporter.otlp.traces.headers", "otel.exporter.otlp.metrics.headers", "otel.exporter.otlp.logs.headers");
    /** Settings whose names say they hold a credential, wherever they are. */
    private static final Pattern SECRET_PROPERTY = Pattern.compile("(?i)(.*[._-])?(api[-_.]?key|password|passwd|secret|token|credentials?)");

    /**
     * What must never leave the gateway in a text: provider keys, provider header values (a header is where a provider's
     * other credentials go), credentials and queries of base URLs, export header values, and any setting named as a secret.
     */
    private SecretText secrets(java.util.Collection<ProviderSettings> providers, AuthSettings auth) {
        List<String> secrets = new ArrayList<>();
        for (ProviderSettings provider : providers) {
            secrets.add(provider.apiKey().reveal());
            secrets.addAll(provider.headers().values());
            provider.baseUrl().ifPresent(url -> {
                secrets.add(url.getRawUserInfo());
                if (url.getRawUserInfo() != null && url.getRawUserInfo().contains(":")) {
                    secrets.add(url.getRawUserInfo().substring(url.getRawUserInfo().indexOf(':') + 1));
                }
                secrets.add(url.getRawQuery());
            });
        }
        for (String property : EXPORT_HEADER_SETTINGS) {
            value(property).ifPresent(pairs -> {
                for (String pair : pairs.split(",")) {
                    int equals = pair.indexOf('=');
                    secrets.add(equals < 0 ? pair : pair.substring(equals + 1));
                }
            });
        }
        auth.keys().values().forEach(key -> key.exportHeaders().values().forEach(header -> secrets.add(header.reveal())));
        for (String property : config.names()) {
            if (SECRET_PROPERTY.matcher(property).matches()) {
                value(property).ifPresent(secrets::add);
            }
        }
        return SecretText.of(secrets);
    }

    /** The OTLP metrics settings, checked here so that a wrong one names itself at deployment (the SDK reads them). */
    private void checkMetrics() {
        bool(METRICS_OTLP + "enabled", false);
        bool(LOGS_OTLP_ENABLED, false);
        if (value(METRICS_OTLP + "interval-ms").isPresent()) {
            positiveLong(METRICS_OTLP + "interval-ms", 60_000);
        }
        String temporality = value(METRICS_OTLP + "temporality").map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse("cumulative");
        if (!List.of("cumulative", "delta", "lowmemory").contains(temporality)) {
            throw new InvalidConfigurationException(METRICS_OTLP + "temporality", "must be cumulative, delta or lowmemory, got " + temporality);
        }
    }

    private boolean refuseHostedTools() {
        String policy = value(HOSTED_TOOLS).map(String::strip).orElse("drop");
        if (!policy.equals("drop") && !policy.equals("refuse")) {
            throw new InvalidConfigurationException(HOSTED_TOOLS, "must be drop or refuse, got " + policy);
        }
        return policy.equals("refuse");
    }

    private TracingSettings.TraceFormat traceFormat() {
        String format = value(TRACE_FORMAT).map(String::strip).orElse("opentelemetry");
        if (!format.equals("opentelemetry") && !format.equals("openinference")) {
            throw new InvalidConfigurationException(TRACE_FORMAT, "must be opentelemetry or openinference, got " + format);
        }
        return new TracingSettings.TraceFormat(format.equals("openinference"), bool(KEEP_GEN_AI, false));
    }

    private RequestExportSettings requestExport() {
        RequestExportSettings defaults = RequestExportSettings.DEFAULTS;
        return new RequestExportSettings(
                bool(REQUEST_EXPORT + "headers", defaults.headers()),
                bool(REQUEST_EXPORT + "attributes", defaults.attributes()),
                bool(REQUEST_EXPORT + "resources", defaults.resources()),
                headerNames(REQUEST_EXPORT + "allowed-headers"),
                Set.copyOf(list(REQUEST_EXPORT + "allowed-resource-keys")),
                bool(REQUEST_EXPORT + "override-static-headers", defaults.overrideStaticHeaders()),
                positiveInt(REQUEST_EXPORT + "max-entries", defaults.maxEntries()),
                positiveInt(REQUEST_EXPORT + "max-value-bytes", defaults.maxValueBytes()),
                positiveInt(REQUEST_EXPORT + "max-total-bytes", defaults.maxTotalBytes()),
                positiveInt(REQUEST_EXPORT + "max-exporters", defaults.maxExporters()),
                positiveInt(REQUEST_EXPORT + "new-exporters-per-second", defaults.newExportersPerSecond()),
                millis(REQUEST_EXPORT + "retention-ms", defaults.retention().toMillis()),
                positiveLong(REQUEST_EXPORT + "max-waiting-bytes", defaults.maxWaitingBytes()));
    }

    private AuthSettings auth() {
        Map<String, ApiKeySettings> keys = new LinkedHashMap<>();
        for (String name : names(API_KEYS, KEY_PROPERTY)) {
            String prefix = "gateway.auth.key." + checkName(API_KEYS, "key", name) + ".";
            String hex = required(prefix + "sha256");
            if (!SHA256_HEX.matcher(hex).matches()) {
                throw new InvalidConfigurationException(prefix + "sha256", "must be the key's SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum)");
            }
            Map<String, Secret> exportHeaders = new TreeMap<>();
            headers(prefix + "export-header.").forEach((header, value) -> exportHeaders.put(header.toLowerCase(Locale.ROOT), Secret.of(value)));
            Set<String> allowed = value(prefix + "allowed-export-headers").isPresent() ? headerNames(prefix + "allowed-export-headers") : null;
            keys.put(name, new ApiKeySettings(name, HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)), exportHeaders, allowed));
        }
        Set<String> origins = new TreeSet<>();
        for (String origin : list(ALLOWED_ORIGINS)) {
            String trimmed = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
            if (!ORIGIN.matcher(trimmed).matches()) {
                throw new InvalidConfigurationException(ALLOWED_ORIGINS, "'" + origin + "' is not an origin (scheme://host[:port]) or *");
            }
            origins.add(trimmed.toLowerCase(Locale.ROOT));
        }
        byte[] admin = null;
        Optional<String> adminHex = value(ADMIN_KEY);
        if (adminHex.isPresent()) {
            if (!SHA256_HEX.matcher(adminHex.get()).matches()) {
                throw new InvalidConfigurationException(ADMIN_KEY, "must be the admin key's SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum)");
            }
            admin = HexFormat.of().parseHex(adminHex.get().toLowerCase(Locale.ROOT));
        }
        return new AuthSettings(keys, bool(PROTECT_METRICS, false), origins, admin);
    }

    /** A list of header names, lower case; {@code none} stands for the empty list. */
    private Set<String> headerNames(String property) {
        Set<String> names = new TreeSet<>();
        for (String name : list(property)) {
            if (name.equalsIgnoreCase("none")) {
                continue;
            }
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException(property, "'" + name + "' is not an HTTP header name");
            }
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static String checkName(String property, String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException(property, what + " name '" + name + "' may use only letters, digits, '-' and '_'");
        }
        return name;
    }

    /**
     * The listed names, then those discovered from property names. A discovered name that is exactly how Open Liberty
     * renders a listed one's environment variable is that name: it shows {@code GATEWAY_MODEL_ECHO_MODEL_ROUTING} as
     * {@code gateway.model.echo.model.routing}, which would otherwise make a model {@code echo.model}.
     */
    private Set<String> names(String listProperty, Pattern propertyPattern) {
        Set<String> names = new LinkedHashSet<>(list(listProperty));
        Set<String> spelledAsVariables = new HashSet<>();
        names.forEach(name -> spelledAsVariables.add(asLibertyRendersVariable(name)));
        Set<String> discovered = new TreeSet<>();
        for (String property : config.names()) {
            Matcher m = propertyPattern.matcher(property);
            if (m.matches() && !names.contains(m.group(1)) && !spelledAsVariables.contains(m.group(1))) {
                discovered.add(m.group(1));
            }
        }
        names.addAll(discovered);
        return names;
    }

    private static String asLibertyRendersVariable(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ".");
    }

    private ProviderSettings provider(String name) {
        String prefix = "gateway.provider." + name + ".";
        ProviderType type = ProviderType.parse(prefix + "type", required(prefix + "type"));
        Optional<URI> baseUrl = type == ProviderType.DUMMY ? Optional.empty() : Optional.of(url(prefix + "base-url",
                value(prefix + "base-url").or(() -> Optional.ofNullable(type.defaultBaseUrl()))
                        .orElseThrow(() -> new InvalidConfigurationException(prefix + "base-url", "is required for a provider of type " + type.id()))));
        Optional<String> apiVersion = switch (type) {
            case AZURE -> Optional.of(value(prefix + "api-version").orElse(DEFAULT_AZURE_API_VERSION));
            case ANTHROPIC -> Optional.of(value(prefix + "api-version").orElse(DEFAULT_ANTHROPIC_VERSION));
            default -> value(prefix + "api-version");
        };
        var timeouts = new ProviderSettings.Timeouts(
                millis(prefix + "connect-timeout-ms", 5_000),
                millis(prefix + "first-byte-timeout-ms", 300_000),
                millis(prefix + "read-timeout-ms", 60_000));
        var retries = new ProviderSettings.Retries(
                (int) nonNegativeLong(prefix + "retries", 0, 10),
                millis(prefix + "retry-backoff-ms", 250),
                millis(prefix + "retry-max-backoff-ms", 10_000));
        var dummy = new ProviderSettings.DummyBehaviour(
                millisOrZero(prefix + "latency-ms"),
                millisOrZero(prefix + "chunk-delay-ms"),
                errorStatus(prefix + "error-status"),
                intBetween(prefix + "embedding-dimensions", 1536, 1, 16_384));
        return new ProviderSettings(name, type, baseUrl, Secret.of(value(prefix + "api-key").orElse(null)),
                value(prefix + "model"), headers(prefix + "header."), apiVersion, positiveLong(prefix + "max-tokens", 4096),
                positiveInt(prefix + "max-connections", 8192), timeouts, retries, dummy);
    }

    private ModelSettings model(String name, Set<String> providers) {
        String property = "gateway.model." + name + ".routing";
        List<String> routing = list(property);
        if (routing.isEmpty()) {
            throw new InvalidConfigurationException(property, "model '" + name + "' needs at least one provider in its routing list");
        }
        for (String provider : routing) {
            if (!providers.contains(provider)) {
                throw new InvalidConfigurationException(property, "routing names provider '" + provider
                        + "', which is not defined (define gateway.provider." + provider + ".type)");
            }
        }
        List<String> aliases = list("gateway.model." + name + ".aliases");
        for (String alias : aliases) {
            if (!ALIAS.matcher(alias).matches()) {
                throw new InvalidConfigurationException("gateway.model." + name + ".aliases", "'" + alias
                        + "' is not a model name or a pattern of one (letters, digits, . _ : / - and * for any run of characters)");
            }
        }
        return new ModelSettings(name, routing, aliases);
    }

    /** No two models may claim the same name: a model's own, or an exact alias, or the same pattern. */
    private static void checkAliases(Map<String, ModelSettings> models) {
        Map<String, String> claimed = new java.util.HashMap<>();
        for (ModelSettings model : models.values()) {
            for (String alias : model.aliases()) {
                String property = "gateway.model." + model.name() + ".aliases";
                if (models.containsKey(alias)) {
                    throw new InvalidConfigurationException(property, "'" + alias + "' is already the name of a model");
                }
                String other = claimed.putIfAbsent(alias, model.name());
                if (other != null && !other.equals(model.name())) {
                    throw new InvalidConfigurationException(property, "'" + alias + "' is already an alias of model '" + other + "'");
                }
            }
        }
    }

    private FunctionSettings function(String name, Set<String> models) {
        String prefix = "gateway.function." + name + ".";
        List<String> variantNames = list(prefix + "variants");
        if (variantNames.isEmpty()) {
            throw new InvalidConfigurationException(prefix + "variants", "function '" + name + "' needs at least one variant");
        }
        Map<String, VariantSettings> variants = new LinkedHashMap<>();
        double totalWeight = 0;
        for (String variant : variantNames) {
            VariantSettings settings = variant(prefix + "variant." + checkName(prefix + "variants", "variant", variant) + ".", variant, models);
            variants.put(variant, settings);
            totalWeight += settings.weight();
        }
        if (totalWeight <= 0) {
            throw new InvalidConfigurationException(prefix + "variants", "the weights of function '" + name + "' add up to zero; give one variant a positive weight");
        }
        return new FunctionSettings(name, variants);
    }

    private VariantSettings variant(String prefix, String name, Set<String> models) {
        String model = required(prefix + "model");
        if (!models.contains(model)) {
            throw new InvalidConfigurationException(prefix + "model", "names model '" + model + "', which is not defined (define gateway.model." + model + ".routing)");
        }
        double weight;
        String rawWeight = value(prefix + "weight").orElse("1");
        try {
            weight = Double.parseDouble(rawWeight);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(prefix + "weight", "must be a number, got '" + rawWeight + "'");
        }
        if (weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
            throw new InvalidConfigurationException(prefix + "weight", "must be zero or positive, got " + rawWeight);
        }
        JsonObjectBuilder defaults = Json.object();
        String paramPrefix = prefix + "param.";
        for (String property : config.names()) {
            if (property.startsWith(paramPrefix) && property.length() > paramPrefix.length()) {
                value(property).ifPresent(v -> defaults.add(property.substring(paramPrefix.length()), Json.literal(v)));
            }
        }
        return new VariantSettings(name, model, weight, value(prefix + "system-prompt"), defaults.build());
    }

    private Map<String, String> headers(String prefix) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String property : config.names()) {
            if (property.startsWith(prefix) && property.length() > prefix.length()) {
                String header = property.substring(prefix.length());
                if (!HEADER_NAME.matcher(header).matches()) {
                    throw new InvalidConfigurationException(property, "'" + header + "' is not an HTTP header name");
                }
                if (prefix.startsWith("gateway.provider.") && (header.equalsIgnoreCase("authorization") || header.equalsIgnoreCase("api-key"))) {
                    throw new InvalidConfigurationException(property, "set the provider's credential with api-key, not as a header");
                }
                value(property).ifPresent(v -> headers.put(header, v));
            }
        }
        return headers;
    }

    private List<String> list(String property) {
        List<String> items = new ArrayList<>();
        for (String item : value(property).orElse("").split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private String required(String property) {
        return value(property).orElseThrow(() -> new InvalidConfigurationException(property, "is required"));
    }

    private Optional<String> value(String property) {
        try {
            return config.get(property).filter(v -> !v.isBlank()).map(String::strip);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            // an expression such as ${OPENAI_API_KEY} naming nothing; the runtime's message may quote the value
            throw new InvalidConfigurationException(property, "refers to a variable that is not set");
        }
    }

    private static URI url(String property, String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidConfigurationException(property, "must be an absolute http(s) URL, got '" + Redaction.url(value) + "'");
            }
            if (uri.getRawUserInfo() != null) {
                throw new InvalidConfigurationException(property, "must not carry credentials (user:password@); set the key with api-key or a header");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(property, "is not a valid URL: '" + Redaction.url(value) + "'");
        }
    }

    private Duration millis(String property, long defaultMillis) {
        return Duration.ofMillis(positiveLong(property, defaultMillis));
    }

    private Duration millisOrZero(String property) {
        long ms = longValue(property, 0);
        if (ms < 0) {
            throw new InvalidConfigurationException(property, "must not be negative, got " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private int errorStatus(String property) {
        long status = longValue(property, 0);
        if (status != 0 && (status < 400 || status > 599)) {
            throw new InvalidConfigurationException(property, "must be an HTTP error status (400-599), got " + status);
        }
        return (int) status;
    }

    private boolean bool(String property, boolean defaultValue) {
        Optional<String> raw = value(property);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigurationException(property, "must be true or false, got '" + raw.get() + "'");
        };
    }

    private long nonNegativeLong(String property, long defaultValue, long max) {
        long value = longValue(property, defaultValue);
        if (value < 0 || value > max) {
            throw new InvalidConfigurationException(property, "must be between 0 and " + max + ", got " + value);
        }
        return value;
    }

    private int intBetween(String property, int defaultValue, int min, int max) {
        long value = longValue(property, defaultValue);
        if (value < min || value > max) {
            throw new InvalidConfigurationException(property, "must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    private int positiveInt(String property, int defaultValue) {
        return (int) Math.min(Integer.MAX_VALUE, positiveLong(property, defaultValue));
    }

    private long positiveLong(String property, long defaultValue) {
        long value = longValue(property, defaultValue);
        if (value <= 0) {
            throw new InvalidConfigurationException(property, "must be a positive number, got " + value);
        }
        return value;
    }

    private long longValue(String property, long defaultValue) {
        Optional<String> raw = value(property);
        try {
            return raw.isPresent() ? Long.parseLong(raw.get()) : defaultValue;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(property, "must be a whole number, got '" + raw.get() + "'");
        }
    }
}
