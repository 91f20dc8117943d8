package dev.llmgateway.provider;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.provider.anthropic.AnthropicProvider;
import dev.llmgateway.provider.azure.AzureOpenAi;
import dev.llmgateway.provider.dummy.DummyProvider;
import dev.llmgateway.provider.openai.OpenAiProvider;
import dev.llmgateway.provider.messages.MessagesOverChat;
import dev.llmgateway.provider.responses.ResponsesOverChat;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The configured providers, built once; they share one timer thread for read timeouts, and close their connections on shutdown. */
@ApplicationScoped
public class Providers {

    @Inject
    GatewaySettings settings;

    @Inject
    UpstreamHeaders upstreamHeaders;

    private Map<String, Provider> byName;
    private final List<UpstreamHttp> clients = new ArrayList<>();
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
        settings.providers().forEach((name, provider) -> providers.put(name, create(provider)));
        byName = Map.copyOf(providers);
    }

    @PreDestroy
    void stop() {
        for (UpstreamHttp client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // the application is stopping; an open connection is closed with the process
            }
        }
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

    private Provider create(ProviderSettings settings) {
        boolean refuse = this.settings.refuseHostedTools();
        return switch (settings.type()) {
            // the Messages API over chat, but for Anthropic, which serves it itself
            case OPENAI -> MessagesOverChat.wrap(OpenAiProvider.compatible(http(settings)), refuse);
            case AZURE -> MessagesOverChat.wrap(AzureOpenAi.provider(http(settings)), refuse);
            // they answer the Responses API over chat; OpenAI and Azure serve it themselves
            case ANTHROPIC -> ResponsesOverChat.wrap(new AnthropicProvider(http(settings)), refuse);
            case DUMMY -> MessagesOverChat.wrap(ResponsesOverChat.wrap(new DummyProvider(settings), refuse), refuse);
        };
    }

    private UpstreamHttp http(ProviderSettings settings) {
        UpstreamHttp http = new UpstreamHttp(settings, timers, upstreamHeaders, this.settings.secrets());
        clients.add(http);
        return http;
    }
}
