package dev.llmgateway.it;

import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import dev.llmgateway.it.RawSocket.Answer;
import dev.llmgateway.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as a hostile client or a web page meets it: keys on every spelling of every path (with /metrics
 * left open), browsers refused, and the export of one tenant's spans out of every other client's reach.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecurityIT {

    private static final String CHAT = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String TEAM_A = "Bearer " + GatewayDeployment.CLIENT_KEY;
    private static final String TEAM_B = "Bearer " + GatewayDeployment.TENANT_KEY;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withKeysAndOpenMetrics();
    }

    @Test
    void noSpellingOfAnApiPathIsServedWithoutAKeyWhileMetricsStayOpen() {
        List<String> served = PathSpellings.assertNoneServedWithoutAKey(base, Map.of("/v1/chat/completions", "POST", "/v1/embeddings", "POST", "/v1/completions", "POST", "/v1/responses", "POST", "/v1/messages", "POST",
                "/v1/messages/count_tokens", "POST", "/v1/models", "GET",
                "/v1/models/dummy", "GET"), Map.of("Authorization", TEAM_A));
        assertThat(served).as("the table reaches real endpoints through unusual spellings").anyMatch(what -> what.contains("%76%31"))
                .hasSizeGreaterThan(15);
        assertThat(RawHttp.get(base, "/metrics").statusCode()).isEqualTo(200);
        assertThat(RawSocket.exchange(base, "GET", "/nothing-here", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void aPostThatIsNotJsonIs415BeforeAnyProviderIsCalled() {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("text/plain", "what a page sends cross-origin without asking");
        types.put("text/plain;charset=UTF-8", "the same, as fetch() sends it");
        types.put("application/x-www-form-urlencoded", "an HTML form");
        types.put("multipart/form-data; boundary=x", "an HTML form with files");
        types.put("application/json; charset=iso-8859-1", "JSON in an encoding JSON does not use");
        types.forEach((type, what) -> {
            Answer answer = RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Content-Type", type, "Authorization", TEAM_A), CHAT);
            assertThat(answer.status()).as(what).isEqualTo(415);
            assertThat(Json.parseObject(answer.body()).getJsonObject("error").getString("code")).as(what).isEqualTo("unsupported_media_type");
        });
        assertThat(RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Authorization", TEAM_A), CHAT).status())
                .as("no media type at all").isEqualTo(415);
        assertThat(RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Content-Type", "application/json; charset=utf-8",
                "Authorization", TEAM_A), CHAT).status()).isEqualTo(200);
    }

    @Test
    void onlyAnAllowedOriginGetsCorsAnswersAndAnyOtherIsRefused() {
        Answer foreign = RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Content-Type", "application/json",
                "Authorization", TEAM_A, "Origin", "https://evil.example"), CHAT);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.head()).doesNotContainIgnoringCase("Access-Control-");

        Answer preflight = RawSocket.exchange(base, "OPTIONS", "/v1/chat/completions", Map.of("Origin", GatewayDeployment.ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type"), null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.head()).containsIgnoringCase("Access-Control-Allow-Origin: " + GatewayDeployment.ALLOWED_ORIGIN)
                .containsIgnoringCase("Access-Control-Allow-Headers: authorization, content-type");

        Answer allowed = RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Content-Type", "application/json",
                "Authorization", TEAM_A, "Origin", GatewayDeployment.ALLOWED_ORIGIN), CHAT);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.head()).containsIgnoringCase("Access-Control-Allow-Origin: " + GatewayDeployment.ALLOWED_ORIGIN)
                .containsIgnoringCase("Access-Control-Expose-Headers:");

        Answer serverToServer = RawSocket.exchange(base, "POST", "/v1/chat/completions", Map.of("Content-Type", "application/json",
                "Authorization", TEAM_A), CHAT);
        assertThat(serverToServer.status()).isEqualTo(200);
        assertThat(serverToServer.head()).doesNotContainIgnoringCase("Access-Control-");
    }

    @Test
    void aKeysExportHeaderGoesWithItsSpansAndItsRequestsCanNeitherReplaceItNorSetOthers() {
        List<ReceivedSpan> tenant = traceOf(chat(TEAM_B, "gateway-otlp-traces-extra-header-x-user", "u-17"));
        assertThat(tenant).allSatisfy(span -> assertThat(span.exportHeaders())
                .containsEntry("x-tenant-token", GatewayDeployment.TENANT_EXPORT_SECRET).containsEntry("x-user", "u-17"));
        assertThat(traceOf(chat(TEAM_A))).allSatisfy(span -> assertThat(span.exportHeaders()).doesNotContainKey("x-tenant-token"));

        assertThat(chat(TEAM_B, "gateway-otlp-traces-extra-header-x-tenant-token", "stolen").statusCode()).isEqualTo(400);
        assertThat(chat(TEAM_B, "gateway-otlp-traces-extra-header-authorization", "Basic other").statusCode()).isEqualTo(400);
        assertThat(chat(TEAM_A, "gateway-otlp-traces-extra-header-authorization", "Basic ours").statusCode()).isEqualTo(200);

        List<String> log = ServerLog.lines();
        assertThat(log).anyMatch(line -> line.contains("LLM gateway configured"));
        assertThat(log).noneMatch(line -> line.contains(GatewayDeployment.TENANT_EXPORT_SECRET) || line.contains(GatewayDeployment.TENANT_KEY));
        assertThat(RawHttp.get(base, "/metrics").body()).doesNotContain(GatewayDeployment.TENANT_EXPORT_SECRET);
        assertThat(OtlpReceiver.shared().spans()).noneMatch(s -> s.span().toString().contains(GatewayDeployment.TENANT_EXPORT_SECRET));
    }

    /**
     * Hundreds of distinct export header values from one key cost that key 429s, not the other tenants their spans:
     * exporters are made on the flooding requests' threads, at a bounded rate per key.
     */
    @Test
    void aFloodOfDistinctExportHeaderValuesCostsTheFlooderNotTheOthers() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        long started = System.nanoTime();
        List<Future<Integer>> flood = new ArrayList<>();
        List<Future<HttpResponse<String>>> normal = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String value = "flood-" + i;
            flood.add(clients.submit(() -> chat(TEAM_A, "gateway-otlp-traces-extra-header-x-flood", value).statusCode()));
            if (i % 10 == 0) {
                normal.add(clients.submit(() -> chat(TEAM_B, "gateway-otlp-traces-extra-header-x-user", "steady")));
                normal.add(clients.submit(() -> chat(TEAM_A)));
            }
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        for (Future<Integer> sent : flood) {
            statuses.merge(sent.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        assertThat(statuses.keySet()).as("the flood is answered or refused, nothing else: " + statuses).isSubsetOf(200, 429);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(statuses.getOrDefault(200, 0)).as("at most a second's budget plus 5 a second over %.1f s", seconds)
                .isLessThanOrEqualTo(5 + (int) Math.ceil(5 * seconds) + 1);
        assertThat(statuses.getOrDefault(429, 0)).as("the flood outran its budget").isPositive();
        for (Future<HttpResponse<String>> sent : normal) {
            HttpResponse<String> response = sent.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            boolean tenant = response.request().headers().firstValue("Authorization").orElse("").equals(TEAM_B);
            assertThat(traceOf(response)).as("every span of every other request exported").hasSize(3).allSatisfy(span -> {
                if (tenant) {
                    assertThat(span.exportHeaders()).containsEntry("x-user", "steady").containsKey("x-tenant-token");
                } else {
                    assertThat(span.exportHeaders()).doesNotContainKeys("x-user", "x-flood");
                }
            });
        }
        clients.shutdown();
        Scrape scrape = new Scrape(RawHttp.get(base, "/metrics").body());
        assertThat(scrape.sum("gateway_export_tenant_exporters")).isLessThanOrEqualTo(16);
    }

    private HttpResponse<String> chat(String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawHttp.send(request);
    }

    private static List<ReceivedSpan> traceOf(HttpResponse<String> response) {
        return OtlpReceiver.shared().traceOfAnswer(response, WAIT);
    }
}
