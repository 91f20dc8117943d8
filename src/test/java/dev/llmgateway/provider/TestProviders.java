package dev.llmgateway.provider;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.config.ProviderType;
import dev.llmgateway.config.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Provider settings for tests, with the defaults the configuration would give. */
public final class TestProviders {

    private TestProviders() {
    }

    public static ProviderSettings settings(String name, ProviderType type, String baseUrl, String apiVersion) {
        return new ProviderSettings(name, type, Optional.ofNullable(baseUrl).map(URI::create), Secret.of("sk-fixture-key"),
                Optional.empty(), Map.of(), Optional.ofNullable(apiVersion), 4096, 64,
                new ProviderSettings.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                new ProviderSettings.Retries(0, Duration.ofMillis(10), Duration.ofMillis(100)),
                new ProviderSettings.DummyBehaviour(Duration.ZERO, Duration.ZERO, 0, 8));
    }
}
