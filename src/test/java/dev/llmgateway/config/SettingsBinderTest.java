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
        assertThat(settings.limits().maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
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
    void refusesOtlpMetricsAndTraceFormatSettingsItCannotUseNamingThem() {
        assertThatThrownBy(() -> bind(Map.of("gateway.metrics.otlp.enabled", "yes"))).hasMessageStartingWith("gateway.metrics.otlp.enabled: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.metrics.otlp.interval-ms", "0"))).hasMessageStartingWith("gateway.metrics.otlp.interval-ms: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.metrics.otlp.temporality", "sideways"))).hasMessageStartingWith("gateway.metrics.otlp.temporality: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.tracing.format", "zipkin"))).hasMessageStartingWith("gateway.tracing.format: ");
        assertThat(bind(Map.of("gateway.tracing.format", "openinference")).tracing().format().openInference()).isTrue();
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
    void callsInFlightDefaultToWhatTheHeapCarriesAndCanBeSetOrRunOnRequestThreads() {
        CallSettings defaults = bind(Map.of()).calls();
        assertThat(defaults.virtualThreads()).isTrue();
        assertThat(defaults.maxInFlight()).isEqualTo((int) (Runtime.getRuntime().maxMemory() / (256 * 1024)));
        assertThat(CallSettings.defaultMaxInFlight(256L << 20)).isEqualTo(1024);
        assertThat(CallSettings.defaultMaxInFlight(1L << 20)).isEqualTo(64);

        CallSettings set = bind(Map.of("gateway.calls.max-in-flight", "5000", "gateway.calls.virtual-threads", "false")).calls();
        assertThat(set.maxInFlight()).isEqualTo(5000);
        assertThat(set.virtualThreads()).isFalse();
        assertThatThrownBy(() -> bind(Map.of("gateway.calls.max-in-flight", "0")))
                .hasMessageStartingWith("gateway.calls.max-in-flight");
        assertThat(bind(Map.of("gateway.provider.p.type", "openai", "gateway.provider.p.max-connections", "20000"))
                .providers().get("p").maxConnections()).isEqualTo(20000);
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

    @Test
    void bindsFunctionsWithWeightedVariantsPromptsAndDefaults() {
        GatewaySettings settings = bind(Map.of(
                "gateway.function.summarize.variants", "short, long",
                "gateway.function.summarize.variant.short.model", "dummy",
                "gateway.function.summarize.variant.short.weight", "0.8",
                "gateway.function.summarize.variant.short.system-prompt", "Summarise {{topic}}.",
                "gateway.function.summarize.variant.short.param.temperature", "0.2",
                "gateway.function.summarize.variant.short.param.stop", "END",
                "gateway.function.summarize.variant.long.model", "dummy"));

        FunctionSettings function = settings.function("summarize").orElseThrow();
        VariantSettings shortVariant = function.variant("short").orElseThrow();
        assertThat(shortVariant.weight()).isEqualTo(0.8);
        assertThat(shortVariant.systemPrompt()).contains("Summarise {{topic}}.");
        assertThat(shortVariant.defaults().getJsonNumber("temperature").doubleValue()).isEqualTo(0.2);
        assertThat(shortVariant.defaults().getString("stop")).isEqualTo("END");
        assertThat(function.variant("long").orElseThrow().weight()).isEqualTo(1.0);
    }

    @Test
    void refusesBrokenFunctions() {
        assertThatThrownBy(() -> bind(Map.of("gateway.functions", "empty")))
                .hasMessageStartingWith("gateway.function.empty.variants: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.function.f.variants", "v", "gateway.function.f.variant.v.model", "nope")))
                .hasMessageStartingWith("gateway.function.f.variant.v.model: ").hasMessageContaining("'nope'");
        assertThatThrownBy(() -> bind(Map.of("gateway.function.f.variants", "v", "gateway.function.f.variant.v.model", "dummy",
                "gateway.function.f.variant.v.weight", "0")))
                .hasMessageStartingWith("gateway.function.f.variants: ").hasMessageContaining("zero");
        assertThatThrownBy(() -> bind(Map.of("gateway.function.f.variants", "v", "gateway.function.f.variant.v.model", "dummy",
                "gateway.function.f.variant.v.weight", "-1")))
                .hasMessageStartingWith("gateway.function.f.variant.v.weight: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.function.f.variants", "v")))
                .hasMessage("gateway.function.f.variant.v.model: is required");
    }

    @Test
    void gatewayKeysAreDigestsOnly() {
        assertThat(bind(Map.of()).auth().enabled()).isFalse();
        GatewaySettings settings = bind(Map.of("gateway.auth.key.team-a.sha256", "AB".repeat(32)));
        assertThat(settings.auth().keys()).containsOnlyKeys("team-a");
        assertThat(settings.auth().keys().get("team-a").sha256()).hasSize(32);
        assertThatThrownBy(() -> bind(Map.of("gateway.auth.key.team-a.sha256", "gw-the-key-itself")))
                .hasMessageStartingWith("gateway.auth.key.team-a.sha256: must be the key's SHA-256")
                .hasMessageNotContaining("gw-the-key-itself");
        assertThatThrownBy(() -> bind(Map.of("gateway.auth.keys", "team-b")))
                .hasMessage("gateway.auth.key.team-b.sha256: is required");
    }

    @Test
    void azureNeedsABaseUrlAndGetsDefaultVersions() {
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.az.type", "azure")))
                .hasMessageStartingWith("gateway.provider.az.base-url: is required");
        GatewaySettings settings = bind(Map.of("gateway.provider.az.type", "azure", "gateway.provider.az.base-url", "https://r.openai.azure.com",
                "gateway.provider.claude.type", "anthropic", "gateway.provider.claude.retries", "2"));
        assertThat(settings.providers().get("az").apiVersion()).contains(SettingsBinder.DEFAULT_AZURE_API_VERSION);
        assertThat(settings.providers().get("claude").apiVersion()).contains(SettingsBinder.DEFAULT_ANTHROPIC_VERSION);
        assertThat(settings.providers().get("claude").baseUrl()).contains(URI.create("https://api.anthropic.com/v1"));
        assertThat(settings.providers().get("claude").retries().count()).isEqualTo(2);
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.dummy.retries", "11")))
                .hasMessageStartingWith("gateway.provider.dummy.retries: ");
    }

    @Test
    void providerHeaderValuesAndUrlCredentialsAreNeverPrinted() {
        GatewaySettings settings = bind(Map.of("gateway.provider.p.type", "openai", "gateway.provider.p.api-key", "sk-planted-key",
                "gateway.provider.p.header.x-portkey-api-key", "pk-planted-header", "gateway.provider.p.header.Ocp-Apim-Subscription-Key", "apim-planted"));
        String printed = settings.toString();
        assertThat(printed).contains("x-portkey-api-key").contains("Ocp-Apim-Subscription-Key")
                .doesNotContain("sk-planted-key").doesNotContain("pk-planted-header").doesNotContain("apim-planted");

        for (String url : List.of("https://user:pw-planted@api.example.com/v1", "ftp://user:pw-planted@api.example.com", "https://user:pw-planted@", "https://user:pw/planted@host/v1", "user:pw-planted@host")) {
            assertThatThrownBy(() -> bind(Map.of("gateway.provider.p.type", "openai", "gateway.provider.p.base-url", url)))
                    .as(url).hasMessageStartingWith("gateway.provider.p.base-url: ").hasMessageNotContaining("pw-planted").hasMessageNotContaining("pw/planted");
        }
        assertThat(bind(Map.of("gateway.provider.p.type", "openai", "gateway.provider.p.base-url", "https://api.example.com/v1?key=k-planted"))
                .toString()).contains("https://api.example.com/v1?****").doesNotContain("k-planted");
        assertThatThrownBy(() -> bind(Map.of("gateway.provider.p.type", "openai", "gateway.provider.p.header.bad header", "v-planted")))
                .hasMessageStartingWith("gateway.provider.p.header.bad header: ").hasMessageNotContaining("v-planted");
    }

    @Test
    void aKeyCarriesItsExportHeadersAsSecretsAndItsAllowList() {
        GatewaySettings settings = bind(Map.of("gateway.auth.key.team-b.sha256", "AB".repeat(32),
                "gateway.auth.key.team-b.export-header.X-Tenant-Token", "tt-planted", "gateway.auth.key.team-b.allowed-export-headers", "x-user, X-Other",
                "gateway.auth.key.team-c.sha256", "CD".repeat(32), "gateway.auth.key.team-c.allowed-export-headers", "none",
                "gateway.cors.allowed-origins", "https://app.example.com/, http://localhost:3000"));
        ApiKeySettings b = settings.auth().keys().get("team-b");
        assertThat(b.exportHeaders().get("x-tenant-token").reveal()).isEqualTo("tt-planted");
        assertThat(b.exportHeaderAllowList()).contains(java.util.Set.of("x-user", "x-other"));
        assertThat(settings.auth().keys().get("team-c").exportHeaderAllowList()).contains(java.util.Set.of());
        assertThat(settings.auth().allowedOrigins()).containsExactlyInAnyOrder("https://app.example.com", "http://localhost:3000");
        assertThat(settings.toString()).contains("x-tenant-token").doesNotContain("tt-planted");
        assertThatThrownBy(() -> bind(Map.of("gateway.cors.allowed-origins", "app.example.com")))
                .hasMessageStartingWith("gateway.cors.allowed-origins: ");
    }

    @Test
    void aListedNameSeenAgainInEnvironmentVariableSpellingIsTheSameName() {
        GatewaySettings settings = bind(Map.of("gateway.models", "dummy,echo-model",
                "gateway.model.echo-model.routing", "dummy",
                "gateway.model.echo.model.routing", "dummy")); // how Open Liberty shows GATEWAY_MODEL_ECHO_MODEL_ROUTING

        assertThat(settings.models()).containsOnlyKeys("dummy", "echo-model");
        assertThat(bind(Map.of("gateway.models", "dummy,llama3-1", "gateway.model.llama3-1.routing", "dummy",
                "gateway.model.llama3.1.routing", "dummy", "gateway.model.Llama3_1.routing", "dummy")).models())
                .as("names that only collide in variable spelling are distinct").containsKeys("llama3-1", "Llama3_1");
    }

    @Test
    void hostedToolsAreLeftOutUnlessTheOperatorRefusesThem() {
        assertThat(bind(Map.of()).refuseHostedTools()).isFalse();
        assertThat(bind(Map.of("gateway.translation.hosted-tools", "refuse")).refuseHostedTools()).isTrue();
        assertThatThrownBy(() -> bind(Map.of("gateway.translation.hosted-tools", "sometimes"))).hasMessageStartingWith("gateway.translation.hosted-tools: ");
    }

    @Test
    void aliasesAndPatternsNameAModelTheMostSpecificPatternWinning() {
        GatewaySettings settings = bind(Map.of(
                "gateway.model.main.routing", "dummy", "gateway.model.main.aliases", "claude-*, gpt-4o",
                "gateway.model.small.routing", "dummy", "gateway.model.small.aliases", "claude-*haiku*"));

        assertThat(settings.model("claude-sonnet-4-5-20250929")).map(ModelSettings::name).contains("main");
        assertThat(settings.model("claude-3-5-haiku-20241022")).map(ModelSettings::name).contains("small");
        assertThat(settings.model("gpt-4o")).map(ModelSettings::name).contains("main");
        assertThat(settings.model("gpt-4o-mini")).isEmpty();
        assertThat(settings.model("main")).map(ModelSettings::name).contains("main");
        assertThat(settings.model("xclaude-1")).isEmpty();

        assertThatThrownBy(() -> bind(Map.of("gateway.model.a.routing", "dummy", "gateway.model.a.aliases", "b",
                "gateway.model.b.routing", "dummy"))).hasMessageStartingWith("gateway.model.a.aliases: ");
        assertThatThrownBy(() -> bind(Map.of("gateway.model.a.routing", "dummy", "gateway.model.a.aliases", "x-*",
                "gateway.model.b.routing", "dummy", "gateway.model.b.aliases", "x-*"))).hasMessageContaining("already an alias of model");
        assertThatThrownBy(() -> bind(Map.of("gateway.model.a.routing", "dummy", "gateway.model.a.aliases", "bad name")))
                .hasMessageStartingWith("gateway.model.a.aliases: ");
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
