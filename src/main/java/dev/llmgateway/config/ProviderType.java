package dev.llmgateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The upstream protocols the gateway speaks. */
public enum ProviderType {
    OPENAI,
    DUMMY;

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
