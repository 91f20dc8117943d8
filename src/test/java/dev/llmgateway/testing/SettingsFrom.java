package dev.llmgateway.testing;

import dev.llmgateway.config.ConfigView;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.SettingsBinder;

import java.util.Map;
import java.util.Optional;

/** Gateway settings bound from properties written out in a test, as the binder binds MicroProfile Config's. */
public final class SettingsFrom {

    private SettingsFrom() {
    }

    public static GatewaySettings properties(Map<String, String> properties) {
        return SettingsBinder.bind(new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(properties.get(name));
            }

            @Override
            public Iterable<String> names() {
                return properties.keySet();
            }
        });
    }
}
