package dev.llmgateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The upstream protocols the gateway speaks. */
public enum ProviderType {
    OPENAI("https://api.openai.com/v1"),
    AZURE(null),
    ANTHROPIC("https://api.anthropic.com/v1"),
    DUMMY(null);

    private final String defaultBaseUrl;

    ProviderType(String defaultBaseUrl) {
        this.defaultBaseUrl = defaultBaseUrl;
    }

    /** Where this type of provider lives unless configured otherwise; null when it must be configured. */
    String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    static ProviderType parse(String property, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(property, "unknown provider type '" + value + "', expected one of "
                    + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
