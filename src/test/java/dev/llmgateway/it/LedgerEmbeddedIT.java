package dev.llmgateway.it;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.llmgateway.it.GatewayDeployment.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The ledger's embedded default, with nothing configured but prices and the admin key: every endpoint's inference is
 * recorded in the H2 file beside the server, and the admin API reads it back, costs equal to the Prometheus counters'.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LedgerEmbeddedIT {

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withEmbeddedLedger();
    }

    @Test
    void everyEndpointIsRecordedInTheEmbeddedDatabase() throws Exception {
        // with the admin key, virtual keys may exist: the API answers 503 until the embedded database has told which
        Scrape.awaitKeysRead(base);
        Scrape before = Scrape.of(base);
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(RawHttp.post(base, "/v1/chat/completions", "{\"model\":\"echo-model\"," + HI + "}"));
        answers.add(RawHttp.post(base, "/v1/chat/completions", "{\"model\":\"dummy\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + HI + "}"));
        answers.add(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"dummy\",\"input\":\"a few words\"}"));
        answers.add(RawHttp.post(base, "/v1/completions", "{\"model\":\"dummy\",\"prompt\":\"Say this\"}"));
        answers.add(RawHttp.post(base, "/v1/responses", "{\"model\":\"dummy\",\"input\":\"hi\"}"));
        answers.add(RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/messages")).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\",\"max_tokens\":16," + HI + "}"))));
        double cost = 0;
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String id = answer.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
            JsonObject row = inference(id);
            assertThat(row.getString("outcome")).isEqualTo("success");
            assertThat(row.getString("key_name")).isEmpty();
            cost += row.getJsonNumber("cost").doubleValue();
        }
        Scrape after = Scrape.afterRequests(base, before, answers.size());
        assertThat(after.since(before, "gateway_cost_total")).isCloseTo(cost, within(1e-9));
        assertThat(after.since(before, "gateway_ledger_rows_dropped_total")).isZero();
        assertThat(after.value("gateway_ledger_up")).isEqualTo(1.0);

        HttpResponse<String> usage = admin("/admin/v1/usage?group_by=operation");
        assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
        assertThat(Json.parseObject(usage.body()).getJsonArray("data").stream().map(e -> e.asJsonObject().getString("operation")).toList())
                .contains("chat", "embeddings", "text_completion", "responses", "messages");
    }

    /** The inference as the admin API shows it, once the writer has put it in (within its flush interval). */
    private JsonObject inference(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            HttpResponse<String> found = admin("/admin/v1/inferences/" + id);
            if (found.statusCode() == 200) {
                return Json.parseObject(found.body());
            }
            assertThat(found.statusCode()).as(found.body()).isIn(404, 503);
            assertThat(System.nanoTime()).as("inference %s recorded within 20 s", id).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> admin(String path) {
        return RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_KEY).GET());
    }
}
