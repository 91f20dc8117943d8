package dev.llmgateway.provider;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.provider.anthropic.AnthropicProvider;
import dev.llmgateway.provider.azure.AzureOpenAi;
import dev.llmgateway.provider.dummy.DummyProvider;
import dev.llmgateway.provider.openai.OpenAiProvider;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The configured providers, built once; they share one timer thread for read timeouts. */
@ApplicationScoped
public class Providers {

    @Inject
    GatewaySettings settings;

    @Inject
    UpstreamHeaders upstreamHeaders;

    private Map<String, Provider> byName;
    private ScheduledThreadPoolExecutor timers;

    @PostConstruct
    void start() {
        timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gateway-upstream-timer");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        Map<String, Provider> providers = new HashMap<>();
        settings.providers().forEach((name, provider) -> providers.put(name, create(provider, timers, upstreamHeaders)));
        byName = Map.copyOf(providers);
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }

    /** The provider of that configuration name; configuration validation guarantees it exists. */
    public Provider named(String name) {
        Provider provider = byName.get(name);
        if (provider == null) {
            throw new IllegalStateException("no provider named " + name);
        }
        return provider;
    }

    private static Provider create(ProviderSettings settings, ScheduledExecutorService timers, UpstreamHeaders headers) {
        return switch (settings.type()) {
            case OPENAI -> OpenAiProvider.compatible(new UpstreamHttp(settings, timers, headers));
            case AZURE -> AzureOpenAi.provider(new UpstreamHttp(settings, timers, headers));
            case ANTHROPIC -> new AnthropicProvider(new UpstreamHttp(settings, timers, headers));
            case DUMMY -> new DummyProvider(settings);
        };
    }
}
