package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.llmgateway.it.GatewayDeployment.ADMIN_KEY;
import static dev.llmgateway.it.GatewayDeployment.CLIENT_KEY;
import static dev.llmgateway.it.GatewayDeployment.OTHER_CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage ledger on a real PostgreSQL (the server's data source, through a link a test can hang): a row for every
 * endpoint and outcome, costs equal to the spans' and the Prometheus counters', the admin API's queries and feedback,
 * retention, and a database that stops or hangs under load while every request still succeeds at once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LedgerIT {

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withLedger();
    }

    /** Each test starts with the ledger writing: its schema migrated, its database answering. */
    @org.junit.jupiter.api.BeforeEach
    void ledgerIsUp() {
        Scrape.awaitLedgerUp(base);
    }

    private OpenAIClient client(String run) {
        return OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey(CLIENT_KEY).maxRetries(0)
                .putHeader("X-Gateway-Tags", "run=" + run + ",team=search").build();
    }

    @Test
    void everyEndpointAndOutcomeIsOneRow() throws Exception {
        String run = UUID.randomUUID().toString();
        OpenAIClient client = client(run);
        List<String> ids = new ArrayList<>();
        ids.add(client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder().model("echo-model").addUserMessage("hi").build())
                .headers().values("X-Gateway-Inference-Id").get(0));
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("echo-model").addUserMessage("hi").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> { });
        }
        client.embeddings().create(EmbeddingCreateParams.builder().model("dummy").input("a few words to embed").build());
        client.completions().create(CompletionCreateParams.builder().model("dummy").prompt("Say this is a test").build());
        client.responses().create(ResponseCreateParams.builder().model("dummy").input("hi").build());
        HttpResponse<String> messages = send("/v1/messages", "{\"model\":\"dummy\",\"max_tokens\":64," + HI + "}", CLIENT_KEY, run,
                "anthropic-version", "2023-06-01");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
        HttpResponse<String> fellBack = send("/v1/chat/completions", "{\"model\":\"fallback\"," + HI + "}", CLIENT_KEY, run);
        assertThat(fellBack.statusCode()).as(fellBack.body()).isEqualTo(200);
        HttpResponse<String> failed = send("/v1/chat/completions", "{\"model\":\"fail-400\"," + HI + "}", CLIENT_KEY, run);
        assertThat(failed.statusCode()).isEqualTo(400);
        cancelMidStream(run);

        List<Map<String, Object>> rows = rowsOf(run, 9);
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        for (Map<String, Object> row : rows) {
            assertThat(row.get("key_name")).isEqualTo("team-a");
            assertThat((String) row.get("tags")).contains("\"run\":\"" + run + "\"").contains("\"team\":\"search\"");
            assertThat(row.get("trace_id")).asString().matches("[0-9a-f]{32}");
            byKind.put(row.get("operation") + "/" + row.get("model") + "/" + row.get("outcome") + "/" + row.get("streamed"), row);
        }
        assertThat(byKind).containsOnlyKeys("chat/echo-model/success/false", "chat/echo-model/success/true", "embeddings/dummy/success/false",
                "text_completion/dummy/success/false", "responses/dummy/success/false", "messages/dummy/success/false",
                "chat/fallback/success/false", "chat/fail-400/error/false", "chat/slow-stream/cancelled/true");
        Map<String, Object> whole = byKind.get("chat/echo-model/success/false");
        assertThat(whole.get("id")).isEqualTo(ids.get(0));
        assertThat(whole.get("provider")).isEqualTo("stub");
        assertThat(whole.get("input_tokens")).isEqualTo(11L);
        assertThat(whole.get("output_tokens")).isEqualTo(6L);
        // 11 input tokens at 2.5 and 6 output tokens at 10 per million
        assertThat((BigDecimal) whole.get("cost")).isEqualByComparingTo("0.0000875");
        assertThat(whole.get("currency")).isEqualTo("USD");
        Map<String, Object> fallback = byKind.get("chat/fallback/success/false");
        assertThat(fallback.get("provider")).isEqualTo("stub-renamed");
        assertThat(fallback.get("fell_back")).isEqualTo(true);
        assertThat(fallback.get("attempts")).isEqualTo(2);
        Map<String, Object> error = byKind.get("chat/fail-400/error/false");
        assertThat(error.get("error_type")).isNotNull();
        assertThat(error.get("cost")).isNull();
        assertThat(byKind.get("chat/echo-model/success/true").get("first_token_ms")).isNotNull();
        // content capture is on: the prompt and the answer, as the spans carry them
        assertThat((String) whole.get("input_content")).contains("\"hi\"");
        assertThat((String) whole.get("output_content")).contains(UpstreamStub.COMPLETION_TEXT);
        assertThat((String) byKind.get("chat/echo-model/success/true").get("output_content")).contains("\"role\":\"assistant\"");
        assertThat(byKind.get("embeddings/dummy/success/false").get("output_content")).isNull();
        assertThat(byKind.get("embeddings/dummy/success/false").get("cost")).isNotNull();
    }

    @Test
    void costsAndTokensEqualTheSpansAndTheCounters() throws Exception {
        String run = UUID.randomUUID().toString();
        Scrape before = Scrape.of(base);
        int requests = 0;
        for (String model : new String[]{"echo-model", "dummy", "fallback"}) {
            for (boolean stream : new boolean[]{false, true}) {
                HttpResponse<String> answer = send("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"stream_options\":{\"include_usage\":" + stream + "}," + HI + "}", CLIENT_KEY, run);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                requests++;
            }
        }
        List<Map<String, Object>> rows = rowsOf(run, requests);
        Scrape after = Scrape.afterRequests(base, before, requests);
        Map<String, Double> costByModel = new HashMap<>();
        Map<String, Long> inputByModel = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String model = (String) row.get("model");
            assertThat(row.get("cost")).as("cost of %s", row).isNotNull();
            double cost = ((BigDecimal) row.get("cost")).doubleValue();
            costByModel.merge(model, cost, Double::sum);
            inputByModel.merge(model, (Long) row.get("input_tokens"), Long::sum);
            List<OtlpReceiver.ReceivedSpan> trace = OtlpReceiver.shared().traceOfInference((String) row.get("id"),
                    2 + (Integer) row.get("attempts"), Duration.ofSeconds(20));
            OtlpReceiver.ReceivedSpan modelSpan = trace.stream().filter(span -> span.name().startsWith("model_inference ")).findFirst().orElseThrow();
            assertThat(modelSpan.number("gateway.usage.cost")).as("model span of %s", row.get("id")).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
            OtlpReceiver.ReceivedSpan attempt = trace.stream().filter(span -> span.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT
                    && !span.failed()).findFirst().orElseThrow();
            assertThat(attempt.integer("gen_ai.usage.input_tokens")).isEqualTo(row.get("input_tokens"));
            assertThat(attempt.integer("gen_ai.usage.output_tokens")).isEqualTo(row.get("output_tokens"));
            assertThat(attempt.string("gateway.usage.cost.currency")).isEqualTo("USD");
        }
        for (var model : costByModel.entrySet()) {
            assertThat(after.since(before, "gateway_cost_total", "model=\"" + model.getKey() + "\"")).as("gateway_cost_total of %s", model.getKey())
                    .isCloseTo(model.getValue(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(after.since(before, "gateway_tokens_total", "model=\"" + model.getKey() + "\"", "token_type=\"input\""))
                    .isEqualTo(inputByModel.get(model.getKey()).doubleValue());
        }
        assertThat(costByModel).containsOnlyKeys("echo-model", "dummy", "fallback");
    }

    @Test
    void theAdminApiAnswersQueriesAndTakesFeedback() throws Exception {
        String run = UUID.randomUUID().toString();
        String conversation = "conv-" + run;
        HttpResponse<String> mine = send("/v1/chat/completions", "{\"model\":\"dummy\"," + HI + "}", CLIENT_KEY, run, "X-Claude-Code-Session-Id", conversation);
        send("/v1/chat/completions", "{\"model\":\"echo-model\"," + HI + "}", CLIENT_KEY, run);
        HttpResponse<String> theirs = send("/v1/chat/completions", "{\"model\":\"dummy\"," + HI + "}", OTHER_CLIENT_KEY, run);
        rowsOf(run, 3);
        String id = OtlpReceiver.inferenceId(mine);

        HttpResponse<String> found = admin("GET", "/admin/v1/inferences/" + id, null, ADMIN_KEY);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        var json = dev.llmgateway.json.Json.parseObject(found.body());
        assertThat(json.getString("id")).isEqualTo(id);
        assertThat(json.getString("key_name")).isEqualTo("team-a");
        assertThat(json.getString("conversation_id")).isEqualTo(conversation);
        assertThat(json.getString("trace_url")).isEqualTo("http://traces.example/trace/" + json.getString("trace_id"));
        assertThat(json.getJsonNumber("cost").doubleValue()).isPositive();
        assertThat(admin("GET", "/admin/v1/inferences/" + id, null, CLIENT_KEY).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/v1/inferences/" + id, null, null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/v1/inferences/no-such-id", null, ADMIN_KEY).statusCode()).isEqualTo(404);

        // feedback: by the key that made it, on its conversation, never on another key's inference
        assertThat(admin("POST", "/admin/v1/feedback", "{\"inference_id\":\"" + id + "\",\"metric_name\":\"thumbs_up\",\"value\":false}", CLIENT_KEY)
                .statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/v1/feedback", "{\"conversation_id\":\"" + conversation + "\",\"metric_name\":\"comment\",\"value\":\"wrong file\"}",
                CLIENT_KEY).statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/v1/feedback", "{\"inference_id\":\"" + OtlpReceiver.inferenceId(theirs) + "\",\"metric_name\":\"x\",\"value\":1}",
                CLIENT_KEY).statusCode()).as("another key's inference is as unknown as none").isEqualTo(404);
        assertThat(admin("POST", "/admin/v1/feedback", "{\"inference_id\":\"" + OtlpReceiver.inferenceId(theirs) + "\",\"metric_name\":\"score\",\"value\":0.5}",
                ADMIN_KEY).statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/v1/feedback", "{\"inference_id\":\"nope\",\"metric_name\":\"x\",\"value\":1}", CLIENT_KEY).statusCode()).isEqualTo(404);
        for (String bad : new String[]{"{\"metric_name\":\"x\",\"value\":1}", "{\"inference_id\":\"" + id + "\",\"conversation_id\":\"c\",\"metric_name\":\"x\",\"value\":1}",
                "{\"inference_id\":\"" + id + "\",\"metric_name\":\"x\"}", "{\"inference_id\":\"" + id + "\",\"metric_name\":\"bad name\",\"value\":1}",
                "{\"inference_id\":\"" + id + "\",\"metric_name\":\"x\",\"value\":{}}", "[]", "{", "{\"inference_id\":\"" + id + "\",\"metric_name\":\"x\",\"value\":1,\"extra\":1}"}) {
            HttpResponse<String> refused = admin("POST", "/admin/v1/feedback", bad, CLIENT_KEY);
            assertThat(refused.statusCode()).as(bad + " -> " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"invalid_request_error\"");
        }
        var withFeedback = dev.llmgateway.json.Json.parseObject(admin("GET", "/admin/v1/inferences/" + id, null, ADMIN_KEY).body());
        assertThat(withFeedback.getJsonArray("feedback").stream().map(f -> f.asJsonObject().getString("metric_name")).toList())
                .containsExactly("thumbs_up", "comment");
        assertThat(withFeedback.getJsonArray("feedback").get(0).asJsonObject().getBoolean("value")).isFalse();

        // aggregates answer what the rows say
        String from = java.time.Instant.now().minus(Duration.ofHours(1)).toString();
        HttpResponse<String> usage = admin("GET", "/admin/v1/usage?group_by=key,model&from=" + from, null, ADMIN_KEY);
        assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
        Map<String, Long> counted = new HashMap<>();
        dev.llmgateway.json.Json.parseObject(usage.body()).getJsonArray("data").forEach(entry -> counted.put(entry.asJsonObject().getString("key")
                + "/" + entry.asJsonObject().getString("model"), entry.asJsonObject().getJsonNumber("inferences").longValue()));
        Map<String, Long> inDatabase = LedgerPostgres.shared().query(connection -> {
            var statement = connection.prepareStatement("SELECT key_name, model, COUNT(*) FROM gateway_inference WHERE started_at >= ? GROUP BY key_name, model");
            statement.setTimestamp(1, java.sql.Timestamp.valueOf(java.time.LocalDateTime.ofInstant(java.time.Instant.parse(from), java.time.ZoneOffset.UTC)));
            Map<String, Long> counts = new HashMap<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    counts.put(result.getString(1) + "/" + result.getString(2), result.getLong(3));
                }
            }
            return counts;
        });
        assertThat(counted).isEqualTo(inDatabase).containsKey("team-b/dummy");
        HttpResponse<String> first = admin("GET", "/admin/v1/inferences?key=team-a&limit=1", null, ADMIN_KEY);
        HttpResponse<String> second = admin("GET", "/admin/v1/inferences?key=team-a&limit=1&offset=1", null, ADMIN_KEY);
        var firstPage = dev.llmgateway.json.Json.parseObject(first.body());
        assertThat(firstPage.getBoolean("has_more")).isTrue();
        assertThat(firstPage.getJsonArray("data").getJsonObject(0).getString("id"))
                .isNotEqualTo(dev.llmgateway.json.Json.parseObject(second.body()).getJsonArray("data").getJsonObject(0).getString("id"));
        for (String bad : new String[]{"/admin/v1/usage?group_by=secret", "/admin/v1/usage?from=yesterday", "/admin/v1/inferences?limit=0",
                "/admin/v1/inferences?limit=5000", "/admin/v1/inferences?nope=1", "/admin/v1/usage?from=2026-12-08&to=2026-12-07"}) {
            assertThat(admin("GET", bad, null, ADMIN_KEY).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(admin("GET", "/admin/v1/nothing", null, ADMIN_KEY).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/admin/v1/usage", null, ADMIN_KEY).statusCode()).isEqualTo(405);
    }

    @Test
    void noRowHoldsAKeysSecret() {
        String everything = LedgerPostgres.shared().query(connection -> {
            StringBuilder text = new StringBuilder();
            for (String table : new String[]{"gateway_inference", "gateway_feedback"}) {
                try (ResultSet result = connection.createStatement().executeQuery("SELECT * FROM " + table)) {
                    while (result.next()) {
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            text.append(result.getString(i)).append('|');
                        }
                        text.append('\n');
                    }
                }
            }
            return text.toString();
        });
        assertThat(everything).as("the ledger's rows were read").contains("team-a");
        for (String secret : new String[]{CLIENT_KEY, OTHER_CLIENT_KEY, ADMIN_KEY, GatewayDeployment.PROVIDER_KEY}) {
            assertThat(everything).doesNotContain(secret);
        }
    }

    @Test
    void rowsPastTheirAgeAreDeletedInTheBackground() throws Exception {
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        LedgerPostgres.shared().query(connection -> {
            var insert = connection.prepareStatement("INSERT INTO gateway_inference (id, started_at, usage_day, key_name, operation, model, outcome,"
                    + " attempts, fell_back, streamed, duration_ms) VALUES (?, ?, ?, 'team-a', 'chat', 'dummy', 'success', 1, false, false, 1.0)");
            for (Object[] row : new Object[][]{{old, 40}, {recent, 29}}) {
                var at = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays((Integer) row[1]);
                insert.setString(1, (String) row[0]);
                insert.setTimestamp(2, java.sql.Timestamp.valueOf(at));
                insert.setDate(3, java.sql.Date.valueOf(at.toLocalDate()));
                insert.addBatch();
            }
            return insert.executeBatch();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (exists(old) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(exists(old)).as("a row 40 days old, past the 30 days kept").isFalse();
        assertThat(exists(recent)).as("a row 29 days old").isTrue();
    }

    private static boolean exists(String id) {
        return LedgerPostgres.shared().query(connection -> {
            var select = connection.prepareStatement("SELECT COUNT(*) FROM gateway_inference WHERE id = ?");
            select.setString(1, id);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1) == 1;
            }
        });
    }

    @Test
    void aDatabaseStoppedUnderLoadDelaysNoRequestAndLosesNoRow() throws Exception {
        String run = UUID.randomUUID().toString();
        Scrape before = Scrape.of(base);
        LedgerPostgres postgres = LedgerPostgres.shared();
        // about 100 requests a second: an outage of a few seconds stays within the queue's bound
        Load load = Load.start(this, run, 4, 40);
        Thread.sleep(1_000);
        postgres.stop();
        long stoppedAt = System.nanoTime();
        Thread.sleep(3_000);
        postgres.start();
        long startedAt = System.nanoTime();
        Thread.sleep(1_000);
        Load.Result result = load.stop();

        assertThat(result.failures()).as("requests that failed while the database was away").isZero();
        assertThat(result.sent()).isGreaterThan(100).isLessThan(GatewayDeployment.LEDGER_QUEUE);
        assertThat(result.medianMillisBetween(stoppedAt, startedAt)).as("median latency with the database stopped (ms); before: %s",
                result.medianMillisBetween(0, stoppedAt)).isLessThan(100);
        rowsOf(run, result.sent(), 60);
        assertThat(Scrape.of(base).since(before, "gateway_ledger_rows_dropped_total")).isZero();
    }

    @Test
    void aHungDatabaseKeepsRowsWithinTheBoundAndCountsTheRest() throws Exception {
        String run = UUID.randomUUID().toString();
        Scrape before = Scrape.of(base);
        LedgerLink link = LedgerPostgres.shared().link();
        link.hang();
        Load.Result result;
        try {
            Load load = Load.start(this, run, 8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (load.sent() < 3 * GatewayDeployment.LEDGER_QUEUE && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            result = load.stop();
        } finally {
            link.resume();
        }
        assertThat(result.failures()).as("requests that failed while the database hung").isZero();
        assertThat(result.medianMillisBetween(0, Long.MAX_VALUE)).as("median latency with the database hung (ms)").isLessThan(100);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int written;
        double dropped;
        do {
            Thread.sleep(200);
            written = rowsOf(run, 0, 0).size();
            dropped = Scrape.of(base).since(before, "gateway_ledger_rows_dropped_total");
        } while (written + dropped < result.sent() && System.nanoTime() < deadline);
        assertThat(written + (long) dropped).as("rows written (%d) and dropped (%.0f) of %d", written, dropped, result.sent()).isEqualTo(result.sent());
        assertThat(dropped).as("rows past the queue's %d", GatewayDeployment.LEDGER_QUEUE).isPositive();
        assertThat(written).as("rows held within the bound, written once the database answered").isGreaterThanOrEqualTo(GatewayDeployment.LEDGER_QUEUE);
        assertThat(Scrape.of(base).since(before, "gateway_ledger_rows_dropped_total", "reason=\"queue_full\"")).isEqualTo(dropped);
    }

    /** Chat requests from a few threads until stopped, each timed. */
    private static final class Load {
        private final List<long[]> timings = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        static Load start(LedgerIT test, String run, int threads) {
            return start(test, run, threads, 0);
        }

        /** {@code threads} clients, each pausing {@code pauseMillis} between requests. */
        static Load start(LedgerIT test, String run, int threads, long pauseMillis) {
            Load load = new Load();
            for (int i = 0; i < threads; i++) {
                Thread thread = new Thread(() -> {
                    while (load.running) {
                        long start = System.nanoTime();
                        HttpResponse<String> answer = RawHttp.sendOrNull(test.request("/v1/chat/completions", "{\"model\":\"dummy\"," + HI + "}",
                                CLIENT_KEY, run), Duration.ofSeconds(30));
                        long end = System.nanoTime();
                        if (answer == null || answer.statusCode() != 200) {
                            load.failures.incrementAndGet();
                        }
                        load.timings.add(new long[]{start, end - start});
                        if (pauseMillis > 0) {
                            try {
                                Thread.sleep(pauseMillis);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                thread.start();
                load.threads.add(thread);
            }
            return load;
        }

        int sent() {
            return timings.size();
        }

        Result stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join();
            }
            return new Result(List.copyOf(timings), failures.get());
        }

        record Result(List<long[]> timings, int failures) {
            int sent() {
                return timings.size();
            }

            double medianMillisBetween(long from, long to) {
                long[] within = timings.stream().filter(t -> t[0] >= from && t[0] < to).mapToLong(t -> t[1]).sorted().toArray();
                return within.length == 0 ? 0 : within[within.length / 2] / 1e6;
            }
        }
    }

    private HttpResponse<String> admin(String method, String path, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(RawHttp.uri(base, path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return RawHttp.send(request);
    }

    private void cancelMidStream(String run) throws Exception {
        HttpRequest request = request("/v1/chat/completions", "{\"model\":\"slow-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(40) + "\"}]}", CLIENT_KEY, run).build();
        HttpResponse<InputStream> response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            body.read(new byte[64]); // the first chunk, then the client goes away
        }
    }

    private HttpResponse<String> send(String path, String body, String key, String run, String... headers) {
        HttpRequest.Builder request = request(path, body, key, run);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawHttp.send(request);
    }

    private HttpRequest.Builder request(String path, String body, String key, String run) {
        return HttpRequest.newBuilder(RawHttp.uri(base, path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).header("X-Gateway-Tags", "run=" + run + ",team=search")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The run's rows once {@code expected} are in (the ledger writes within its flush interval); fails after 20 s. */
    static List<Map<String, Object>> rowsOf(String run, int expected) throws InterruptedException {
        return rowsOf(run, expected, 20);
    }

    static List<Map<String, Object>> rowsOf(String run, int expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Map<String, Object>> rows = LedgerPostgres.shared().query(connection -> {
                var statement = connection.prepareStatement("SELECT * FROM gateway_inference WHERE tags LIKE ? ORDER BY started_at");
                statement.setString(1, "%\"run\":\"" + run + "\"%");
                List<Map<String, Object>> found = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        Map<String, Object> row = new HashMap<>();
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                        }
                        found.add(row);
                    }
                }
                return found;
            });
            if (rows.size() >= expected || System.nanoTime() > deadline) {
                if (seconds > 0) {
                    assertThat(rows).as("rows of run " + run).hasSize(expected);
                }
                return rows;
            }
            Thread.sleep(50);
        }
    }
}
