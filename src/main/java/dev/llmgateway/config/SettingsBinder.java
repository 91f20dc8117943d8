package dev.llmgateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    public static final String MAX_BODY_BYTES = "gateway.request.max-body-bytes";
    public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
    public static final String DEFAULT_OPENAI_URL = "https://api.openai.com/v1";

    private static final Pattern PROVIDER_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PROVIDER_PROPERTY = Pattern.compile("gateway\\.provider\\.([A-Za-z0-9_-]+)\\.type");
    private static final Pattern MODEL_PROPERTY = Pattern.compile("gateway\\.model\\.(.+)\\.routing");

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
            if (!PROVIDER_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException(PROVIDERS, "provider name '" + name + "' may use only letters, digits, '-' and '_'");
            }
            providers.put(name, provider(name));
        }
        Map<String, ModelSettings> models = new LinkedHashMap<>();
        for (String name : names(MODELS, MODEL_PROPERTY)) {
            models.put(name, model(name, providers.keySet()));
        }
        long maxBody = positiveLong(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
        return new GatewaySettings(providers, models, maxBody);
    }

    private Set<String> names(String listProperty, Pattern propertyPattern) {
        Set<String> names = new LinkedHashSet<>(list(listProperty));
        Set<String> discovered = new java.util.TreeSet<>();
        for (String property : config.names()) {
            Matcher m = propertyPattern.matcher(property);
            if (m.matches()) {
                discovered.add(m.group(1));
            }
        }
        names.addAll(discovered);
        return names;
    }

    private ProviderSettings provider(String name) {
        String prefix = "gateway.provider." + name + ".";
        ProviderType type = ProviderType.parse(prefix + "type", required(prefix + "type"));
        Optional<URI> baseUrl = type == ProviderType.DUMMY
                ? Optional.empty()
                : Optional.of(url(prefix + "base-url", value(prefix + "base-url").orElse(DEFAULT_OPENAI_URL)));
        var timeouts = new ProviderSettings.Timeouts(
                millis(prefix + "connect-timeout-ms", 5_000),
                millis(prefix + "first-byte-timeout-ms", 300_000),
                millis(prefix + "read-timeout-ms", 60_000));
        var dummy = new ProviderSettings.DummyBehaviour(
                millisOrZero(prefix + "latency-ms"),
                millisOrZero(prefix + "chunk-delay-ms"),
                errorStatus(prefix + "error-status"));
        return new ProviderSettings(name, type, baseUrl, Secret.of(value(prefix + "api-key").orElse(null)),
                value(prefix + "model"), headers(prefix + "header."), timeouts, dummy);
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
        return new ModelSettings(name, routing);
    }

    private Map<String, String> headers(String prefix) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String property : config.names()) {
            if (property.startsWith(prefix) && property.length() > prefix.length()) {
                String header = property.substring(prefix.length());
                if (header.equalsIgnoreCase("authorization") || header.equalsIgnoreCase("api-key")) {
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
                throw new InvalidConfigurationException(property, "must be an absolute http(s) URL, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(property, "is not a valid URL: '" + value + "'");
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
