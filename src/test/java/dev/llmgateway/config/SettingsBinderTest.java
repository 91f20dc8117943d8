package dev.llmgateway.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsBinderTest {

    private static final Map<String, String> DEFAULTS = Map.of(
            "gateway.providers", "dummy",
            "gateway.provider.dummy.type", "dummy",
            "gateway.models", "dummy",
            "gateway.model.dummy.routing", "dummy");

    @Test
    void theDefaultsServeTheDummyModel() {
        GatewaySettings settings = bind(Map.of());

        assertThat(settings.models()).containsOnlyKeys("dummy");
        assertThat(settings.model("dummy").orElseThrow().routing()).containsExactly("dummy");
        assertThat(settings.providers().get("dummy").type()).isEqualTo(ProviderType.DUMMY);
        assertThat(settings.maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void bindsAnOpenAiProviderWithItsTimeoutsHeadersAndModelName() {
        GatewaySettings settings = bind(Map.of(
                "gateway.providers", "dummy,openai",
                "gateway.provider.openai.type", "OpenAI",
                "gateway.provider.openai.base-url", "http://127.0.0.1:11434/v1/",
                "gateway.provider.openai.api-key", "sk-secret",
                "gateway.provider.openai.model", "llama3.1:8b",
                "gateway.provider.openai.connect-timeout-ms", "250",
                "gateway.provider.openai.header.OpenAI-Organization", "org-1",
                "gateway.model.gpt-4.1-mini.routing", "openai, dummy"));

        ProviderSettings openai = settings.providers().get("openai");
        assertThat(openai.baseUrl()).contains(URI.create("http://127.0.0.1:11434/v1"));
        assertThat(openai.apiKey().reveal()).isEqualTo("sk-secret");
        assertThat(openai.upstreamModel()).contains("llama3.1:8b");
        assertThat(openai.timeouts().connect()).isEqualTo(Duration.ofMillis(250));
        assertThat(openai.timeouts().firstByte()).isEqualTo(Duration.ofMinutes(5));
        assertThat(openai.headers()).containsEntry("OpenAI-Organization", "org-1");
        assertThat(settings.model("gpt-4.1-mini").orElseThrow().routing()).containsExactly("openai", "dummy");
    }

    @Test
    void anOpenAiProviderWithoutAUrlTalksToOpenAi() {
        GatewaySettings settings = bind(Map.of("gateway.provider.openai.type", "openai"));

        assertThat(settings.providers().get("openai").baseUrl()).contains(URI.create("https://api.openai.com/v1"));
    }

    @Test
    void aCredentialNeverPrints() {
        ProviderSettings openai = bind(Map.of("gateway.provider.openai.type", "openai", "gateway.provider.openai.api-key", "sk-secret"))
                .providers().get("openai");

        assertThat(openai.toString()).doesNotContain("sk-secret").contains("****");
    }

    @Test
    void refusesRoutingToAnUndefinedProvider() {
        assertThatThrownBy(() -> bind(Map.of("gateway.model.gpt.routing", "dummy,missing")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("gateway.model.gpt.routing: ")
                .hasMessageContaining("'missing'");
    }

    @Test
    void refusesAModelWithoutProviders() {
        assertThatThrownBy(() -> bind(Map.of("gateway.models", "dummy,empty")))
                .hasMessageStartingWith("gateway.model.empty.routing: ");
    }

    @Test
    void refusesAnUnknownProviderType() {
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.x.type", "bedrock")))
                .hasMessageStartingWith("gateway.provider.x.type: ").hasMessageContaining("openai, azure, anthropic, dummy");
    }

    @Test
    void refusesAProviderWithoutAType() {
        assertThatThrownBy(() -> bind(Map.of("gateway.providers", "dummy,typeless")))
                .hasMessage("gateway.provider.typeless.type: is required");
    }

    @Test
    void refusesBadNumbersNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("gateway.request.max-body-bytes", "8MB")))
                .hasMessage("gateway.request.max-body-bytes: must be a whole number, got '8MB'");
        assertThatThrownBy(() -> bind(Map.of("gateway.request.max-body-bytes", "0")))
                .hasMessageStartingWith("gateway.request.max-body-bytes: must be a positive number");
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.dummy.read-timeout-ms", "-5")))
                .hasMessageStartingWith("gateway.provider.dummy.read-timeout-ms: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.dummy.error-status", "200")))
                .hasMessageStartingWith("gateway.provider.dummy.error-status: ");
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.o.type", "openai", "gateway.provider.o.base-url", "ftp://x/v1")))
                .hasMessageStartingWith("gateway.provider.o.base-url: must be an absolute http(s) URL");
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.o.type", "openai", "gateway.provider.o.base-url", "not a url")))
                .hasMessageStartingWith("gateway.provider.o.base-url: ");
    }

    @Test
    void refusesACredentialSmuggledInAsAHeader() {
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.dummy.header.Authorization", "Bearer x")))
                .hasMessageStartingWith("gateway.provider.dummy.header.Authorization: ");
    }

    @Test
    void anUnresolvableExpressionNamesThePropertyButNotTheValue() {
        ConfigView failing = new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                if (name.equals("gateway.provider.dummy.api-key")) {
                    throw new NoSuchElementException("could not expand ${OPENAI_API_KEY}");
                }
                return Optional.ofNullable(DEFAULTS.get(name));
            }

            @Override
            public Iterable<String> names() {
                return DEFAULTS.keySet();
            }
        };
        assertThatThrownBy(() -> SettingsBinder.bind(failing))
                .hasMessage("gateway.provider.dummy.api-key: refers to a variable that is not set");
    }

    @Test
    void providerNamesMayNotContainDots() {
        assertThatThrownBy(() -> bind(Map.of("gateway.providers", "dummy,my.provider")))
                .hasMessageStartingWith("gateway.providers: ");
    }

    private static GatewaySettings bind(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.putAll(overrides);
        return SettingsBinder.bind(new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(all.get(name));
            }

            @Override
            public Iterable<String> names() {
                return List.copyOf(all.keySet());
            }
        });
    }
}
