package dev.llmgateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * A named task clients call as {@code "model": "function::<name>"}, served by one of its variants.
 */
public record FunctionSettings(String name, Map<String, VariantSettings> variants) {

    public static final String PREFIX = "function::";

    public FunctionSettings {
        variants = Map.copyOf(variants);
    }

    public Optional<VariantSettings> variant(String name) {
        return Optional.ofNullable(variants.get(name));
    }
}
