package dev.llmgateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway was configured with, bound and validated once at startup.
 *
 * @param secrets the configured secret values, to be masked in every text that leaves the gateway
 */
public record GatewaySettings(
        Map<String, ProviderSettings> providers,
        Map<String, ModelSettings> models,
        Map<String, FunctionSettings> functions,
        RequestLimits limits,
        CallSettings calls,
        TracingSettings tracing,
        AuthSettings auth,
        SecretText secrets) {

    public GatewaySettings(Map<String, ProviderSettings> providers, Map<String, ModelSettings> models, Map<String, FunctionSettings> functions,
                           RequestLimits limits, CallSettings calls, TracingSettings tracing, AuthSettings auth) {
        this(providers, models, functions, limits, calls, tracing, auth, SecretText.NONE);
    }

    public GatewaySettings {
        providers = Map.copyOf(providers);
        models = Map.copyOf(models);
        functions = Map.copyOf(functions);
    }

    public Optional<ModelSettings> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Optional<FunctionSettings> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }
}
