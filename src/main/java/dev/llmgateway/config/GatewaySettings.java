package dev.llmgateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway was configured with, bound and validated once at startup.
 *
 * @param secrets the configured secret values, to be masked in every text that leaves the gateway
 * @param refuseHostedTools whether a tool only its own provider runs (web search, …) is a 400 where a translation cannot
 *                          carry it, rather than left out and named
 * @param prices            the price table inferences are costed with
 * @param ledger            where each inference is recorded
 * @param keys              virtual keys and their limits
 */
public record GatewaySettings(
        Map<String, ProviderSettings> providers,
        Map<String, ModelSettings> models,
        Map<String, FunctionSettings> functions,
        RequestLimits limits,
        CallSettings calls,
        TracingSettings tracing,
        AuthSettings auth,
        SecretText secrets,
        boolean refuseHostedTools,
        Prices prices,
        LedgerSettings ledger,
        KeySettings keys) {

    public GatewaySettings(Map<String, ProviderSettings> providers, Map<String, ModelSettings> models, Map<String, FunctionSettings> functions,
                           RequestLimits limits, CallSettings calls, TracingSettings tracing, AuthSettings auth) {
        this(providers, models, functions, limits, calls, tracing, auth, SecretText.NONE, false);
    }

    public GatewaySettings(Map<String, ProviderSettings> providers, Map<String, ModelSettings> models, Map<String, FunctionSettings> functions,
                           RequestLimits limits, CallSettings calls, TracingSettings tracing, AuthSettings auth, SecretText secrets,
                           boolean refuseHostedTools) {
        this(providers, models, functions, limits, calls, tracing, auth, secrets, refuseHostedTools, Prices.NONE, LedgerSettings.OFF);
    }

    public GatewaySettings(Map<String, ProviderSettings> providers, Map<String, ModelSettings> models, Map<String, FunctionSettings> functions,
                           RequestLimits limits, CallSettings calls, TracingSettings tracing, AuthSettings auth, SecretText secrets,
                           boolean refuseHostedTools, Prices prices, LedgerSettings ledger) {
        this(providers, models, functions, limits, calls, tracing, auth, secrets, refuseHostedTools, prices, ledger, KeySettings.DEFAULTS);
    }

    public GatewaySettings {
        providers = Map.copyOf(providers);
        models = Map.copyOf(models);
        functions = Map.copyOf(functions);
    }

    /**
     * The model a client's name means: the model of that name, else the one that names it as an alias, else the one
     * whose matching pattern fixes the most characters ({@code claude-sonnet-*} before {@code claude-*}).
     */
    public Optional<ModelSettings> model(String name) {
        ModelSettings exact = models.get(name);
        if (exact != null || name == null) {
            return Optional.ofNullable(exact);
        }
        ModelSettings best = null;
        int bestSpecificity = -1;
        for (ModelSettings model : models.values()) {
            int specificity = model.specificity(name);
            if (specificity > bestSpecificity) {
                best = model;
                bestSpecificity = specificity;
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<FunctionSettings> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }
}
