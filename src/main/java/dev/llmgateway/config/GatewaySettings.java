package dev.llmgateway.config;

import java.util.Map;
import java.util.Optional;

/** Everything the gateway was configured with, bound and validated once at startup. */
public record GatewaySettings(
        Map<String, ProviderSettings> providers,
        Map<String, ModelSettings> models,
        long maxBodyBytes) {

    public GatewaySettings {
        providers = Map.copyOf(providers);
        models = Map.copyOf(models);
    }

    public Optional<ModelSettings> model(String name) {
        return Optional.ofNullable(models.get(name));
    }
}
