package dev.llmgateway.telemetry.export;

import dev.llmgateway.config.ApiKeySettings;
import dev.llmgateway.config.RequestExportSettings;
import dev.llmgateway.config.Secret;
import io.opentelemetry.api.common.AttributeKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportHeaderParserTest {

    private static final RequestExportSettings DEFAULTS = RequestExportSettings.DEFAULTS;

    private final ExportHeaderParser parser = new ExportHeaderParser(DEFAULTS, Set.of("authorization"), null, null);

    @Test
    void theTensorZeroExampleAndOurPrefixGiveTheSameHeaders() {
        Map<String, String> expected = Map.of("my-first-header", "my-first-value", "my-second-header", "my-second-value");
        assertThat(parser.parse(headers(
                "tensorzero-otlp-traces-extra-header-my-first-header", "my-first-value",
                "tensorzero-otlp-traces-extra-header-my-second-header", "my-second-value")).headers()).isEqualTo(expected);
        assertThat(parser.parse(headers(
                "Gateway-OTLP-Traces-Extra-Header-My-First-Header", "my-first-value",
                "gateway-otlp-traces-extra-header-my-second-header", "my-second-value")).headers()).isEqualTo(expected);
    }

    @Test
    void attributeValuesAreJsonScalarsOrText() {
        ExportOverrides overrides = parser.parse(headers(
                "gateway-otlp-traces-extra-attribute-user.id", "\"user-123\"",
                "gateway-otlp-traces-extra-attribute-session", "plain text",
                "gateway-otlp-traces-extra-attribute-beta", "true",
                "gateway-otlp-traces-extra-attribute-tier", "3",
                "gateway-otlp-traces-extra-attribute-score", "0.25",
                "gateway-otlp-traces-extra-attribute-city", "\"Z\\u00fcrich\"",
                "gateway-otlp-traces-extra-resource-tenant.environment", "\"staging\""));
        assertThat(overrides.spanAttributes().get(AttributeKey.stringKey("user.id"))).isEqualTo("user-123");
        assertThat(overrides.spanAttributes().get(AttributeKey.stringKey("session"))).isEqualTo("plain text");
        assertThat(overrides.spanAttributes().get(AttributeKey.booleanKey("beta"))).isTrue();
        assertThat(overrides.spanAttributes().get(AttributeKey.longKey("tier"))).isEqualTo(3L);
        assertThat(overrides.spanAttributes().get(AttributeKey.doubleKey("score"))).isEqualTo(0.25);
        assertThat(overrides.spanAttributes().get(AttributeKey.stringKey("city"))).isEqualTo("Zürich");
        assertThat(overrides.resourceAttributes().get(AttributeKey.stringKey("tenant.environment"))).isEqualTo("staging");
        assertThat(overrides.headers()).isEmpty();
    }

    @Test
    void noExportHeadersIsNothingToDo() {
        assertThat(parser.parse(Map.of())).isSameAs(ExportOverrides.NONE);
        assertThat(ExportHeaderParser.isExportHeader("TensorZero-OTLP-Traces-Extra-Header-x")).isTrue();
        assertThat(ExportHeaderParser.isExportHeader("x-otlp-traces-extra-header-x")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-type", "Content-Length", "content-encoding", "accept-encoding", "host", "te", "connection",
            "transfer-encoding", "grpc-timeout", "grpc-encoding", "x-trace-bin", "upgrade", "forwarded", "x-forwarded-for",
            "X-Forwarded-Host", "x-real-ip", "via", "cookie", "proxy-authorization", "proxy-connection", "x-http-method-override", "origin"})
    void headersThatBelongToTheTransportOrSteerProxiesAreRefused(String name) {
        refused(parser, "gateway-otlp-traces-extra-header-" + name, "value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\r\nX-Injected: 1", "tab\tand\u0000nul", "caf\u00e9", ""})
    void valuesMustBePrintableAsciiAndNotEmpty(String value) {
        refused(parser, "gateway-otlp-traces-extra-header-x-tenant", value);
    }

    @Test
    void aRefusalNamesTheHeaderButNeverTheValue() {
        assertThatThrownBy(() -> parser.parse(headers("gateway-otlp-traces-extra-header-content-type", "sk-secret-value")))
                .isInstanceOfSatisfying(InvalidExportHeaderException.class, e -> {
                    assertThat(e.header()).isEqualTo("gateway-otlp-traces-extra-header-content-type");
                    assertThat(e.getMessage()).contains("gateway-otlp-traces-extra-header-content-type").doesNotContain("sk-secret-value");
                });
    }

    @Test
    void aHeaderSentTwiceOrUnderBothPrefixesIsRefused() {
        Map<String, List<String>> twice = Map.of("gateway-otlp-traces-extra-header-x-tenant", List.of("a", "b"));
        assertThatThrownBy(() -> parser.parse(twice)).hasMessageContaining("2 times");
        refused(parser, "tensorzero-otlp-traces-extra-header-x-tenant", "a", "gateway-otlp-traces-extra-header-X-Tenant", "b");
    }

    @Test
    void unknownKindsAndEmptyNamesAreRefused() {
        refused(parser, "gateway-otlp-traces-extra-headers", "a");
        refused(parser, "gateway-otlp-traces-extra-header-", "a");
        refused(parser, "gateway-otlp-traces-extra-metric-x", "a");
    }

    @Test
    void attributesMayNotPassForTheGatewaysOwnOrBeStructured() {
        refused(parser, "gateway-otlp-traces-extra-attribute-gen_ai.usage.input_tokens", "1");
        refused(parser, "gateway-otlp-traces-extra-attribute-gateway.model", "\"gpt\"");
        refused(parser, "gateway-otlp-traces-extra-attribute-user", "{\"id\":1}");
        refused(parser, "gateway-otlp-traces-extra-attribute-user", "null");
        refused(parser, "gateway-otlp-traces-extra-resource-telemetry.sdk.name", "\"x\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"error.type", "http.response.status_code", "url.path", "server.address", "user_agent.original",
            "exception.message", "otel.status_code", "service.name", "gen_ai.response.finish_reasons", "gateway.api_key",
            "openinference.span.kind", "llm.model_name", "input.value"})
    void attributesTheGatewayOrRuntimeSetAtAnyTimeCannotBePlanted(String key) {
        refused(parser, "gateway-otlp-traces-extra-attribute-" + key, "\"planted\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service.name", "service.instance.id", "host.name", "telemetry.distro.name", "deployment.environment",
            "deployment.environment.name", "process.pid", "k8s.pod.name", "cloud.region", "container.id", "os.type"})
    void resourceKeysTheOperatorOrRuntimeOwnAreRefusedUnlessAllowed(String key) {
        refused(parser, "gateway-otlp-traces-extra-resource-" + key, "\"planted\"");
        var allowing = new ExportHeaderParser(new RequestExportSettings(true, true, true, Set.of(), Set.of(key), false, 16, 64, 512, 4, 10,
                Duration.ofSeconds(1), 1 << 20), Set.of(), null, null);
        assertThat(allowing.parse(headers("gateway-otlp-traces-extra-resource-" + key, "\"allowed\"")).resourceAttributes()
                .get(AttributeKey.stringKey(key))).isEqualTo("allowed");
    }

    @Test
    void aKeysExportHeadersAreAddedAndCannotBeReplacedAndItsListReplacesTheGlobalOne() {
        var tenant = new ApiKeySettings("team-b", new byte[32], Map.of("x-tenant-token", Secret.of("tok-b")), Set.of("x-user"));
        assertThat(parser.parse(Map.of(), tenant).headers()).isEqualTo(Map.of("x-tenant-token", "tok-b"));
        assertThat(parser.parse(headers("gateway-otlp-traces-extra-header-x-user", "u1"), tenant).headers())
                .isEqualTo(Map.of("x-tenant-token", "tok-b", "x-user", "u1"));
        refused(parser, tenant, "gateway-otlp-traces-extra-header-X-Tenant-Token", "mine");
        refused(parser, tenant, "gateway-otlp-traces-extra-header-x-other", "a");

        var closed = new ApiKeySettings("team-c", new byte[32], Map.of(), Set.of());
        refused(parser, closed, "gateway-otlp-traces-extra-header-x-user", "u1");
        var anotherKeys = new ExportHeaderParser(DEFAULTS, Set.of(), Set.of("x-tenant-token"), null, null);
        refused(anotherKeys, closed, "gateway-otlp-traces-extra-header-x-tenant-token", "tenant-b-scope");
        refused(anotherKeys, "gateway-otlp-traces-extra-header-x-tenant-token", "tenant-b-scope");
                var open = new ApiKeySettings("team-d", new byte[32], Map.of(), null);
        assertThat(parser.parse(headers("gateway-otlp-traces-extra-header-x-user", "u1"), open).headers()).containsEntry("x-user", "u1");
    }

    @Test
    void countAndSizeAreCapped() {
        var tight = new ExportHeaderParser(new RequestExportSettings(true, true, true, Set.of(), Set.of(), true, 2, 8, 20, 4, 10, Duration.ofSeconds(1), 1 << 20),
                Set.of(), null, null);
        refused(tight, "gateway-otlp-traces-extra-header-a", "1", "gateway-otlp-traces-extra-header-b", "2", "gateway-otlp-traces-extra-header-c", "3");
        refused(tight, "gateway-otlp-traces-extra-header-a", "123456789");
        refused(tight, "gateway-otlp-traces-extra-header-abcdef", "12345678", "gateway-otlp-traces-extra-header-ghi", "1234");
        assertThat(tight.parse(headers("gateway-otlp-traces-extra-header-a", "12345678")).headers()).containsEntry("a", "12345678");
    }

    @Test
    void operatorsCanSwitchEachKindOffOrRestrictNames() {
        var off = new ExportHeaderParser(new RequestExportSettings(false, false, false, Set.of(), Set.of(), true, 16, 64, 512, 4, 10, Duration.ofSeconds(1), 1 << 20),
                Set.of(), null, null);
        refused(off, "gateway-otlp-traces-extra-header-x-tenant", "a");
        refused(off, "gateway-otlp-traces-extra-attribute-user", "a");
        refused(off, "gateway-otlp-traces-extra-resource-env", "a");

        var restricted = new ExportHeaderParser(new RequestExportSettings(true, true, true, Set.of("x-tenant"), Set.of(), false, 16, 64, 512, 4, 10,
                Duration.ofSeconds(1), 1 << 20), Set.of("authorization"), null, null);
        assertThat(restricted.parse(headers("gateway-otlp-traces-extra-header-X-Tenant", "a")).headers()).containsEntry("x-tenant", "a");
        refused(restricted, "gateway-otlp-traces-extra-header-x-other", "a");
        refused(restricted, "gateway-otlp-traces-extra-header-authorization", "Basic abc");
    }

    @Test
    void configuredHeadersAreKeptUnlessTheOperatorLetsRequestsReplaceThem() {
        refused(parser, "gateway-otlp-traces-extra-header-Authorization", "Basic abc");
        var replacing = new ExportHeaderParser(new RequestExportSettings(true, true, true, Set.of(), Set.of(), true, 16, 64, 512, 4, 10,
                Duration.ofSeconds(1), 1 << 20), Set.of("authorization"), null, null);
        assertThat(replacing.parse(headers("gateway-otlp-traces-extra-header-Authorization", "Basic abc")).headers())
                .containsEntry("authorization", "Basic abc");
    }

    @Test
    void whatTheDeploymentCannotHonourIsRefused() {
        var noHeaders = new ExportHeaderParser(DEFAULTS, Set.of(), "the exporter cannot be copied", null);
        refused(noHeaders, "gateway-otlp-traces-extra-header-x-tenant", "a");
        assertThat(noHeaders.parse(headers("gateway-otlp-traces-extra-attribute-user", "a")).spanAttributes().size()).isEqualTo(1);
        var nothing = new ExportHeaderParser(DEFAULTS, Set.of(), null, "a runtime-wide SDK");
        refused(nothing, "gateway-otlp-traces-extra-attribute-user", "a");
    }

    private static void refused(ExportHeaderParser parser, String... namesAndValues) {
        refused(parser, null, namesAndValues);
    }

    private static void refused(ExportHeaderParser parser, ApiKeySettings key, String... namesAndValues) {
        Map<String, List<String>> headers = headers(namesAndValues);
        assertThatThrownBy(() -> parser.parse(headers, key)).isInstanceOf(InvalidExportHeaderException.class)
                .satisfies(e -> assertThat(((InvalidExportHeaderException) e).header()).isIn(headers.keySet()));
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }
}
