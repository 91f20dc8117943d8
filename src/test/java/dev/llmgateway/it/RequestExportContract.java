package dev.llmgateway.it;

import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-request OTLP export headers, attributes and resources, as the collector receives them: each export request
 * carries only spans of the request whose headers it bears. Mixed into both tracing ITs, so it runs over HTTP and
 * gRPC on both runtimes; the deployments configure {@link #STATIC_HEADER} for every export.
 */
interface RequestExportContract {

    Map.Entry<String, String> STATIC_HEADER = Map.entry("x-static", "configured");
    Duration WAIT = Duration.ofSeconds(30);
    String BODY = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"route my spans\"}]}";

    URL base();

    @Test
    default void theTensorZeroExampleWorksWithTheirPrefixAndOurs() {
        for (String prefix : List.of("tensorzero-otlp-traces-extra-header-", "gateway-otlp-traces-extra-header-")) {
            List<ReceivedSpan> trace = traceOf(chat(prefix + "my-first-header", "my-first-value", prefix + "my-second-header", "my-second-value"));
            assertThat(trace).as("server, model and provider spans, all exported with the request's headers").hasSize(3)
                    .allSatisfy(span -> assertThat(span.exportHeaders())
                            .containsEntry("my-first-header", "my-first-value")
                            .containsEntry("my-second-header", "my-second-value")
                            .containsEntry(STATIC_HEADER.getKey(), STATIC_HEADER.getValue()));
        }
        List<ReceivedSpan> plain = traceOf(chat());
        assertThat(plain).hasSize(3).allSatisfy(span -> assertThat(span.exportHeaders())
                .doesNotContainKeys("my-first-header", "my-second-header")
                .containsEntry(STATIC_HEADER.getKey(), STATIC_HEADER.getValue()));
    }

    @Test
    default void attributesAndAnAllowedResourceLandOnTheRequestsSpansAndConfiguredHeadersStay() {
        List<ReceivedSpan> trace = traceOf(chat(
                "gateway-otlp-traces-extra-attribute-user.id", "\"user-123\"",
                "tensorzero-otlp-traces-extra-attribute-beta", "true",
                "gateway-otlp-traces-extra-attribute-tier", "3",
                "gateway-otlp-traces-extra-resource-deployment.environment", "\"staging\"",
                "gateway-otlp-traces-extra-header-x-tenant", "per-request"));
        assertThat(trace).hasSize(3).allSatisfy(span -> {
            assertThat(span.string("user.id")).isEqualTo("user-123");
            assertThat(span.attribute("beta").orElseThrow().getBoolValue()).isTrue();
            assertThat(span.integer("tier")).isEqualTo(3L);
            assertThat(span.attribute("gateway.export.route")).as("the routing mark never leaves").isEmpty();
            assertThat(span.resourceAttribute("deployment.environment")).isEqualTo("staging");
            assertThat(span.resourceAttribute("service.name")).isEqualTo(GatewayDeployment.TRACED_SERVICE);
            assertThat(span.exportHeaders()).containsEntry(STATIC_HEADER.getKey(), STATIC_HEADER.getValue()).containsEntry("x-tenant", "per-request");
        });
        assertThat(traceOf(chat())).allSatisfy(span -> {
            assertThat(span.attribute("user.id")).isEmpty();
            assertThat(span.resourceAttribute("deployment.environment")).isNull();
        });
    }

    @Test
    default void concurrentTenantsNeverShareAnExportRequest() throws Exception {
        int requests = 150;
        Map<String, String> tenantOf = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(24);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String tenant = i % 7 == 0 ? "" : "tenant-" + (i % 12);
            sent.add(clients.submit(() -> {
                HttpResponse<String> response = tenant.isEmpty() ? chat() : chat(
                        "gateway-otlp-traces-extra-header-x-tenant", tenant,
                        "gateway-otlp-traces-extra-attribute-tenant.check", tenant);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                tenantOf.put(response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow(), tenant);
            }));
        }
        for (Future<?> request : sent) {
            request.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        OtlpReceiver receiver = OtlpReceiver.shared();
        Map<String, String> tenantOfTrace = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tenantOfTrace.size() < requests && System.nanoTime() < deadline) {
            for (ReceivedSpan span : receiver.spans()) {
                String tenant = tenantOf.get(String.valueOf(span.string("gateway.inference_id")));
                if (tenant != null) {
                    tenantOfTrace.put(span.traceId(), tenant);
                }
            }
            Thread.sleep(100);
        }
        assertThat(tenantOfTrace).as("every request's trace arrived").hasSize(requests);
        Thread.sleep(500);
        List<ReceivedSpan> ours = receiver.spans().stream().filter(s -> tenantOfTrace.containsKey(s.traceId())).toList();
        assertThat(ours).as("three spans per request, none lost or doubled").hasSize(requests * 3);
        assertThat(ours).allSatisfy(span -> {
            String tenant = tenantOfTrace.get(span.traceId());
            if (tenant.isEmpty()) {
                assertThat(span.exportHeaders()).doesNotContainKey("x-tenant");
                assertThat(span.attribute("tenant.check")).isEmpty();
            } else {
                assertThat(span.exportHeaders()).containsEntry("x-tenant", tenant);
                assertThat(span.string("tenant.check")).isEqualTo(tenant);
            }
        });
    }

    @Test
    default void refusedExportHeadersGet400NamingTheHeaderNotTheValue() {
        String secret = "sk-planted-export-secret-71ac";
        Map<String, String[]> cases = Map.ofEntries(
                Map.entry("a transport header", new String[]{"gateway-otlp-traces-extra-header-content-type", secret}),
                Map.entry("a gRPC reserved header", new String[]{"tensorzero-otlp-traces-extra-header-grpc-timeout", secret}),
                Map.entry("a binary metadata name", new String[]{"gateway-otlp-traces-extra-header-x-key-bin", secret}),
                Map.entry("a value over the size limit", new String[]{"gateway-otlp-traces-extra-header-x-big", secret + "x".repeat(1100)}),
                Map.entry("an attribute in the gateway's namespace", new String[]{"gateway-otlp-traces-extra-attribute-gen_ai.usage.input_tokens", "1"}),
                Map.entry("an attribute the runtime sets when the answer is written", new String[]{"gateway-otlp-traces-extra-attribute-http.response.status_code", "500"}),
                Map.entry("an attribute the gateway sets only on failure", new String[]{"gateway-otlp-traces-extra-attribute-error.type", "\"timeout\""}),
                Map.entry("a resource key the operator owns", new String[]{"gateway-otlp-traces-extra-resource-service.name", "\"billing\""}),
                Map.entry("a resource key the runtime owns", new String[]{"gateway-otlp-traces-extra-resource-host.name", "\"elsewhere\""}),
                Map.entry("the collector credential the operator configured", new String[]{"gateway-otlp-traces-extra-header-" + STATIC_HEADER.getKey(), secret}),
                Map.entry("a proxy-steering header", new String[]{"gateway-otlp-traces-extra-header-x-forwarded-for", "10.0.0.1"}),
                Map.entry("a forwarding header", new String[]{"gateway-otlp-traces-extra-header-forwarded", "for=10.0.0.1"}),
                Map.entry("a cookie", new String[]{"gateway-otlp-traces-extra-header-cookie", secret}),
                Map.entry("a proxy credential", new String[]{"gateway-otlp-traces-extra-header-proxy-authorization", "Basic " + secret}),
                Map.entry("a structured attribute", new String[]{"gateway-otlp-traces-extra-attribute-user", "{\"id\":\"" + secret + "\"}"}),
                Map.entry("an unknown kind", new String[]{"gateway-otlp-traces-extra-metric-x", secret}),
                Map.entry("the same header under both prefixes", new String[]{"gateway-otlp-traces-extra-header-x-twice", secret,
                        "tensorzero-otlp-traces-extra-header-x-twice", secret}));
        cases.forEach((what, headers) -> {
            HttpResponse<String> response = chat(headers);
            assertThat(response.statusCode()).as(what).isEqualTo(400);
            JsonObject error = Json.parseObject(response.body()).getJsonObject("error");
            assertThat(error.getString("type")).as(what).isEqualTo("invalid_request_error");
            assertThat(error.getString("code")).as(what).isEqualTo("invalid_export_header");
            assertThat(List.of(headers).contains(error.getString("param"))).as(what + ": param names the header").isTrue();
            assertThat(response.body()).as(what).doesNotContain(secret);
        });
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            tooMany.add("gateway-otlp-traces-extra-attribute-a" + i);
            tooMany.add("1");
        }
        assertThat(chat(tooMany.toArray(String[]::new)).statusCode()).isEqualTo(400);
    }

    @Test
    default void exportHeaderValuesNeverReachSpansLogsOrMetrics() {
        String secret = "lf-planted-tenant-key-93be";
        List<ReceivedSpan> trace = traceOf(chat("gateway-otlp-traces-extra-header-authorization", "Basic " + secret,
                "gateway-otlp-traces-extra-header-x-langfuse-public-key", secret));
        assertThat(trace).allSatisfy(span -> {
            assertThat(span.exportHeaders()).containsEntry("x-langfuse-public-key", secret);
            assertThat(span.span().toString()).doesNotContain(secret);
            assertThat(span.resource().toString()).doesNotContain(secret);
        });
        assertThat(RawHttp.get(base(), "/metrics").body()).doesNotContain(secret);
        assertThat(ServerLog.lines()).noneMatch(line -> line.contains(secret));
    }

    private HttpResponse<String> chat(String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(RawHttp.uri(base(), "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawHttp.send(request);
    }

    private static List<ReceivedSpan> traceOf(HttpResponse<String> response) {
        return OtlpReceiver.shared().traceOfAnswer(response, WAIT);
    }
}
