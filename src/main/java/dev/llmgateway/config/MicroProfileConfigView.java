package dev.llmgateway.config;

import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/** {@link ConfigView} over MicroProfile Config: files, server variables, system properties, environment. */
final class MicroProfileConfigView implements ConfigView {

    private final Config config;

    MicroProfileConfigView(Config config) {
        this.config = config;
    }

    @Override
    public Optional<String> get(String name) {
        return config.getOptionalValue(name, String.class);
    }

    @Override
    public Iterable<String> names() {
        return config.getPropertyNames();
    }
}
