package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.llmgateway.it.GatewayDeployment.ADMIN_KEY;
import static dev.llmgateway.it.GatewayDeployment.CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Virtual keys on a real PostgreSQL (the ledger's): made, changed, rotated and revoked through the admin API while the
 * official OpenAI SDK calls as each key; allow-lists; every limit kind refusing exactly past its limit with OpenAI's or
 * Anthropic's status, error and headers; estimates held and reconciled; and keys a hostile client guesses or replays.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VirtualKeysIT {

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withLedger();
    }

    @BeforeEach
    void keysAreRead() {
        Scrape.awaitLedgerUp(base);
        Scrape.awaitKeysRead(base);
    }

    @Test
    void aKeysLifeThroughTheAdminApiWithTheSdkCallingAsTheKey() throws Exception {
        String run = UUID.randomUUID().toString();
        String name = "life-" + run.substring(0, 8);
        JsonObject created = create("{\"name\":\"" + name + "\",\"team\":\"search-" + run.substring(0, 8) + "\",\"metadata\":{\"owner\":\"search\"},"
                + "\"models\":[\"echo-model\",\"dummy\"]}");
        String secret = created.getString("key");
        String id = created.getString("id");
        assertThat(secret).startsWith("sk-gw-").hasSizeGreaterThan(40);
        assertThat(created.getString("status")).isEqualTo("active");

        OpenAIClient client = client(secret, run);
        assertThat(client.chat().completions().create(chat("echo-model")).choices()).isNotEmpty();
        PermissionDeniedException denied = catchThrowableOfType(PermissionDeniedException.class, () -> client.chat().completions().create(chat("fallback")));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.code()).contains("model_not_allowed");
        HttpResponse<String> counted = send("/v1/messages/count_tokens", "{\"model\":\"fallback\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                secret, run, "anthropic-version", "2023-06-01");
        assertThat(counted.statusCode()).as("counting reaches the model's provider too").isEqualTo(403);
        assertThat(Json.parseObject(counted.body()).getJsonObject("error").getString("type")).isEqualTo("permission_error");

        // the admin API never shows a secret, or its digest, once the key is made
        for (String shown : List.of(admin("GET", "/admin/v1/keys", null, ADMIN_KEY).body(), admin("GET", "/admin/v1/keys/" + id, null, ADMIN_KEY).body())) {
            assertThat(shown).contains(name).doesNotContain(secret).doesNotContain(sha256(secret)).doesNotContain(secret.substring(10));
        }
        JsonObject listed = Json.parseObject(admin("GET", "/admin/v1/keys", null, ADMIN_KEY).body());
        assertThat(listed.getJsonArray("data").getValuesAs(JsonObject.class)).anySatisfy(key -> {
            assertThat(key.getString("name")).isEqualTo("team-a");
            assertThat(key.getBoolean("read_only")).isTrue();
        });

        HttpResponse<String> widened = admin("PATCH", "/admin/v1/keys/" + id, "{\"models\":[\"echo-model\",\"dummy\",\"fallback\"]}", ADMIN_KEY);
        assertThat(widened.statusCode()).as(widened.body()).isEqualTo(200);
        assertThat(client.chat().completions().create(chat("fallback")).choices()).isNotEmpty();

        HttpResponse<String> rotated = admin("POST", "/admin/v1/keys/" + id + "/rotate", null, ADMIN_KEY);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = Json.parseObject(rotated.body()).getString("key");
        assertThat(second).isNotEqualTo(secret);
        assertThatThrownBy(() -> client.chat().completions().create(chat("dummy"))).isInstanceOf(UnauthorizedException.class);
        OpenAIClient rotatedClient = client(second, run);
        assertThat(rotatedClient.chat().completions().create(chat("dummy")).choices()).isNotEmpty();

        HttpResponse<String> revoked = admin("POST", "/admin/v1/keys/" + id + "/revoke", null, ADMIN_KEY);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(Json.parseObject(revoked.body()).getString("status")).isEqualTo("revoked");
        long revokedAt = System.nanoTime();
        while (status("/v1/chat/completions", "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", second) != 401) {
            assertThat(System.nanoTime() - revokedAt).as("refused within 1 s of its revocation").isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(admin("POST", "/admin/v1/keys/" + id + "/rotate", null, ADMIN_KEY).statusCode()).as("a revoked key stays revoked").isEqualTo(409);

        // its rows and spans carry its name and team, never a secret
        List<Map<String, Object>> rows = LedgerIT.rowsOf(run, 3);
        for (Map<String, Object> row : rows) {
            assertThat(row.get("key_name")).isEqualTo(name);
            assertThat(row.get("key_team")).isEqualTo("search-" + run.substring(0, 8));
            assertThat(row.toString()).doesNotContain(secret).doesNotContain(second);
        }
        OtlpReceiver.ReceivedSpan modelSpan = OtlpReceiver.shared().traceOfInference((String) rows.get(0).get("id"), 3, Duration.ofSeconds(20)).stream()
                .filter(span -> span.name().startsWith("model_inference ")).findFirst().orElseThrow();
        assertThat(modelSpan.string("gateway.api_key")).isEqualTo(name);
        assertThat(modelSpan.string("gateway.api_key.team")).isEqualTo("search-" + run.substring(0, 8));
    }

    @Test
    void requestLimitsRefuseExactlyPastTheLimitWithOpenAisErrorAndHeaders() {
        String run = UUID.randomUUID().toString();
        awayFromTheEndOfAMinute();
        JsonObject perMinute = create("{\"name\":\"rpm-" + run.substring(0, 8) + "\",\"limits\":{\"requests_per_minute\":5}}");
        OpenAIClient client = client(perMinute.getString("key"), run);
        for (int i = 0; i < 5; i++) {
            Headers headers = client.chat().completions().withRawResponse().create(chat("dummy")).headers();
            assertThat(headers.values("x-ratelimit-limit-requests")).containsExactly("5");
            assertThat(headers.values("x-ratelimit-remaining-requests")).containsExactly(Integer.toString(4 - i));
            assertThat(headers.values("x-ratelimit-reset-requests")).singleElement().asString().matches("([0-9]+m)?[0-9]+s");
        }
        RateLimitException refused = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(chat("dummy")));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.code()).contains("rate_limit_exceeded");
        assertThat(refused.type()).contains("requests");
        assertThat(refused.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
        assertThat(Integer.parseInt(refused.headers().values("Retry-After").get(0))).isBetween(1, 60);

        // the upstream's own limits reach the client where they are the tighter: the key's requests (999 left of 1,000
        // against the upstream's 9,999), the upstream's tokens (the key has no token limit)
        JsonObject wide = create("{\"name\":\"merge-" + run.substring(0, 8) + "\",\"limits\":{\"requests_per_minute\":1000}}");
        Headers merged = client(wide.getString("key"), run).chat().completions().withRawResponse().create(chat("echo-model")).headers();
        assertThat(merged.values("x-ratelimit-limit-requests")).containsExactly("1000");
        assertThat(merged.values("x-ratelimit-remaining-requests")).containsExactly("999");
        assertThat(merged.values("x-ratelimit-limit-tokens")).containsExactly("30000");
        assertThat(merged.values("x-ratelimit-remaining-tokens")).containsExactly("29000");
        assertThat(merged.values("x-ratelimit-reset-tokens")).containsExactly("1m31s");
        JsonObject perDay = create("{\"name\":\"rpd-" + run.substring(0, 8) + "\",\"limits\":{\"requests_per_day\":3}}");
        for (int i = 0; i < 3; i++) {
            assertThat(status("/v1/embeddings", "{\"model\":\"dummy\",\"input\":\"a few words\"}", perDay.getString("key"))).isEqualTo(200);
        }
        assertThat(status("/v1/embeddings", "{\"model\":\"dummy\",\"input\":\"a few words\"}", perDay.getString("key"))).isEqualTo(429);

        // two in one second of UTC, the third refused; tried again when the second turned during the calls
        JsonObject perSecond = create("{\"name\":\"rps-" + run.substring(0, 8) + "\",\"limits\":{\"requests_per_second\":2}}");
        for (int attempt = 0; ; attempt++) {
            long second = awaitStartOfASecond();
            int[] statuses = new int[3];
            for (int i = 0; i < 3; i++) {
                statuses[i] = status("/v1/completions", "{\"model\":\"dummy\",\"prompt\":\"hi\"}", perSecond.getString("key"));
            }
            if (Instant.now().getEpochSecond() == second) {
                assertThat(statuses).containsExactly(200, 200, 429);
                break;
            }
            assertThat(attempt).as("three calls within one second").isLessThan(5);
        }
    }

    @Test
    void tokenLimitsHoldTheEstimateAndGiveBackWhatTheCallDidNotUse() throws Exception {
        String run = UUID.randomUUID().toString();
        JsonObject key = create("{\"name\":\"tpd-" + run.substring(0, 8) + "\",\"limits\":{\"tokens_per_day\":1000}}");
        String secret = key.getString("key");
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertThat(status("/v1/chat/completions", "{\"model\":\"dummy\",\"max_tokens\":800," + hi + "}", secret, run)).isEqualTo(200);
        Map<String, Object> row = LedgerIT.rowsOf(run, 1).get(0);
        long used = (Long) row.get("input_tokens") + (Long) row.get("output_tokens");
        assertThat(used).isLessThan(100);
        double remaining = awaitRemaining(key.getString("id"), "tokens_per_day", 1000 - used);
        assertThat(remaining).isEqualTo(1000 - used);

        // held by its estimate (the body's bytes / 4 plus max_tokens), which no longer fits
        String tooMuch = "{\"model\":\"dummy\",\"max_tokens\":" + (long) remaining + "," + hi + "}";
        HttpResponse<String> refused = send("/v1/chat/completions", tooMuch, secret, run);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(Json.parseObject(refused.body()).getJsonObject("error").getString("type")).isEqualTo("tokens");
        assertThat(refused.headers().firstValue("x-ratelimit-limit-tokens")).contains("1000");
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-tokens")).contains(Long.toString((long) remaining));
        assertThat(status("/v1/chat/completions", "{\"model\":\"dummy\",\"max_tokens\":500," + hi + "}", secret, run)).isEqualTo(200);
    }

    @Test
    void aSpendBudgetHoldsTheEstimateAndIsReconciledAfterWholeAndStreamedCalls() throws Exception {
        String run = UUID.randomUUID().toString();
        // dummy costs 1.5 per million input tokens and 6 per million output: 1,000 output tokens are estimated at 0.006
        JsonObject key = create("{\"name\":\"budget-" + run.substring(0, 8) + "\",\"limits\":{\"budget_per_day\":0.01}}");
        OpenAIClient client = client(key.getString("key"), run);
        Headers whole = client.chat().completions().withRawResponse().create(chat("dummy").toBuilder().maxCompletionTokens(1000).build()).headers();
        assertThat(whole.values("x-gateway-budget-limit")).containsExactly("0.01");
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat("dummy").toBuilder().maxCompletionTokens(1000)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> { });
        }
        double spent = 0;
        for (Map<String, Object> row : LedgerIT.rowsOf(run, 2)) {
            spent += ((BigDecimal) row.get("cost")).doubleValue();
        }
        assertThat(spent).isPositive().isLessThan(0.001);
        double remaining = awaitRemaining(key.getString("id"), "budget_per_day", 0.01 - spent);
        assertThat(remaining).isCloseTo(0.01 - spent, org.assertj.core.data.Offset.offset(1e-9));

        // 2,000 output tokens are estimated at 0.012, past what is left
        RateLimitException refused = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(chat("dummy").toBuilder().maxCompletionTokens(2000).build()));
        assertThat(refused.code()).contains("insufficient_quota");
        assertThat(refused.type()).contains("insufficient_quota");
        // Anthropic's clients get its billing error, which its SDKs and agents do not retry
        HttpResponse<String> messages = send("/v1/messages", "{\"model\":\"dummy\",\"max_tokens\":2000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                key.getString("key"), run, "anthropic-version", "2023-06-01");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(402);
        JsonObject error = Json.parseObject(messages.body());
        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(error.getJsonObject("error").getString("type")).isEqualTo("billing_error");
        assertThat(status("/v1/chat/completions", "{\"model\":\"dummy\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                key.getString("key"), run)).isEqualTo(200);
        // a background response's usage is known only later: a key with a budget cannot start one
        HttpResponse<String> background = send("/v1/responses", "{\"model\":\"dummy\",\"input\":\"hi\",\"background\":true}", key.getString("key"), run);
        assertThat(background.statusCode()).as(background.body()).isEqualTo(400);
        assertThat(background.body()).contains("background_not_allowed");
        // a maximum past any model's is held at 100 million tokens, never wrapped into a negative estimate
        assertThat(status("/v1/chat/completions", "{\"model\":\"dummy\",\"max_tokens\":9223372036854775807,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                key.getString("key"), run)).isEqualTo(429);
    }

    @Test
    void anthropicClientsGetAnthropicsRateLimitErrorAndHeaders() {
        String run = UUID.randomUUID().toString();
        awayFromTheEndOfAMinute();
        JsonObject key = create("{\"name\":\"anthropic-" + run.substring(0, 8) + "\",\"limits\":{\"requests_per_minute\":1}}");
        String body = "{\"model\":\"dummy\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> first = send("/v1/messages", body, key.getString("key"), run, "anthropic-version", "2023-06-01");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("anthropic-ratelimit-requests-limit")).contains("1");
        assertThat(first.headers().firstValue("anthropic-ratelimit-requests-remaining")).contains("0");
        assertThat(Instant.parse(first.headers().firstValue("anthropic-ratelimit-requests-reset").orElseThrow())).isAfter(Instant.now().minusSeconds(1));
        HttpResponse<String> second = send("/v1/messages", body, key.getString("key"), run, "anthropic-version", "2023-06-01");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(Json.parseObject(second.body()).getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
        assertThat(second.headers().firstValue("retry-after")).isPresent();
        assertThat(second.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }

    @Test
    void aTeamsLimitIsSharedByItsKeysAndRefusalsAreCountedAndKept() {
        String run = UUID.randomUUID().toString();
        String team = "team-" + run.substring(0, 8);
        assertThat(admin("PUT", "/admin/v1/teams/" + team, "{\"limits\":{\"requests_per_day\":3}}", ADMIN_KEY).statusCode()).isEqualTo(200);
        JsonObject first = create("{\"name\":\"t1-" + run.substring(0, 8) + "\",\"team\":\"" + team + "\"}");
        JsonObject second = create("{\"name\":\"t2-" + run.substring(0, 8) + "\",\"team\":\"" + team + "\"}");
        Scrape before = Scrape.settled(base);
        String body = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(status("/v1/chat/completions", body, first.getString("key"))).isEqualTo(200);
        assertThat(status("/v1/chat/completions", body, second.getString("key"))).isEqualTo(200);
        assertThat(status("/v1/chat/completions", body, first.getString("key"))).isEqualTo(200);
        HttpResponse<String> refused = send("/v1/chat/completions", body, second.getString("key"), run);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("team '" + team + "'");

        Scrape after = Scrape.afterRequests(base, before, 4);
        assertThat(after.since(before, "gateway_limit_refusals_total", "reason=\"requests_per_day\"", "api_key=\"t2-" + run.substring(0, 8) + "\""))
                .isEqualTo(1.0);
        JsonObject shown = Json.parseObject(admin("GET", "/admin/v1/keys/" + second.getString("id"), null, ADMIN_KEY).body());
        assertThat(shown.getJsonArray("recent_refusals").getValuesAs(JsonObject.class)).singleElement()
                .satisfies(refusal -> assertThat(refusal.getString("reason")).isEqualTo("requests_per_day"));
        assertThat(shown.getJsonObject("remaining").getJsonNumber("team_requests_per_day").doubleValue()).isZero();
    }

    @Test
    void anExpiredKeyIsRefusedFromItsExpiry() {
        long expiry = Instant.now().getEpochSecond() + 3;
        JsonObject key = create("{\"name\":\"expiring-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"expires_at\":" + expiry + "}");
        String body = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(status("/v1/chat/completions", body, key.getString("key"))).isEqualTo(200);
        while (Instant.now().getEpochSecond() < expiry) {
            sleep(50);
        }
        assertThat(status("/v1/chat/completions", body, key.getString("key"))).isEqualTo(401);
    }

    @Test
    void guessedReplayedAndMismatchedKeysAreRefusedAndNoOneButTheAdminMakesKeys() throws Exception {
        String run = UUID.randomUUID().toString();
        JsonObject key = create("{\"name\":\"hostile-" + run.substring(0, 8) + "\"}");
        String secret = key.getString("key");
        String body = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(status("/v1/chat/completions", body, "sk-gw-" + UUID.randomUUID())).isEqualTo(401);
        assertThat(status("/v1/chat/completions", body, secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A"))).isEqualTo(401);
        HttpResponse<String> both = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + secret).header("x-api-key", CLIENT_KEY).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(both.statusCode()).as("two different keys in the two headers").isEqualTo(401);

        int keysBefore = Json.parseObject(admin("GET", "/admin/v1/keys", null, ADMIN_KEY).body()).getJsonArray("data").size();
        for (String caller : new String[]{secret, CLIENT_KEY, null, "sk-gw-guessed"}) {
            HttpResponse<String> made = admin("POST", "/admin/v1/keys", "{\"name\":\"intruder-" + run.substring(0, 8) + "\"}", caller);
            assertThat(made.statusCode()).as("made by %s", caller == null ? "no key" : caller.substring(0, 6)).isEqualTo(401);
            assertThat(admin("GET", "/admin/v1/keys", null, caller).statusCode()).isEqualTo(401);
            assertThat(admin("POST", "/admin/v1/keys/" + key.getString("id") + "/rotate", null, caller).statusCode()).isEqualTo(401);
        }
        assertThat(Json.parseObject(admin("GET", "/admin/v1/keys", null, ADMIN_KEY).body()).getJsonArray("data").size()).isEqualTo(keysBefore);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"hostile-" + run.substring(0, 8) + "\"}", ADMIN_KEY).statusCode()).as("a name is taken once")
                .isEqualTo(409);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"team-a\"}", ADMIN_KEY).statusCode()).as("a configured key's name").isEqualTo(409);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"x\",\"owner\":\"me\"}", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"x\",\"limits\":{\"requests_per_minute\":-1}}", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"bad name\"}", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/v1/keys", "[1,2]", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"x\",\"expires_at\":99999999999999}", ADMIN_KEY).statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("\"m").append(i).append('-').append("x".repeat(120)).append("\",");
        }
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"x\",\"models\":[" + many + "\"m\"]}", ADMIN_KEY).statusCode())
                .as("names past the column").isEqualTo(400);
        assertThat(admin("POST", "/admin/v1/keys", "{\"name\":\"x\",\"team\":\"a/b\"}", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/v1/keys/no-such-id", null, ADMIN_KEY).statusCode()).isEqualTo(404);

        // the database holds the secret's digest only
        String stored = LedgerPostgres.shared().query(connection -> {
            var select = connection.prepareStatement("SELECT * FROM gateway_key WHERE id = ?");
            select.setString(1, key.getString("id"));
            StringBuilder all = new StringBuilder();
            try (ResultSet row = select.executeQuery()) {
                row.next();
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    all.append(row.getString(i)).append('|');
                }
            }
            return all.toString();
        });
        assertThat(stored).contains(sha256(secret)).doesNotContain(secret);
    }

    private JsonObject create(String body) {
        HttpResponse<String> made = admin("POST", "/admin/v1/keys", body, ADMIN_KEY);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.headers().firstValue("Cache-Control")).contains("no-store");
        return Json.parseObject(made.body());
    }

    /** What remains of a limit as the admin API shows it, once the calls before have been settled; fails after 10 s. */
    private double awaitRemaining(String id, String limit, double expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            double remaining = Json.parseObject(admin("GET", "/admin/v1/keys/" + id, null, ADMIN_KEY).body()).getJsonObject("remaining")
                    .getJsonNumber(limit).doubleValue();
            if (Math.abs(remaining - expected) < 1e-9 || System.nanoTime() > deadline) {
                return remaining;
            }
            sleep(50);
        }
    }

    private OpenAIClient client(String key, String run) {
        return OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey(key).maxRetries(0)
                .putHeader("X-Gateway-Tags", "run=" + run).build();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    private int status(String path, String body, String key) {
        return status(path, body, key, "none");
    }

    private int status(String path, String body, String key, String run) {
        return send(path, body, key, run).statusCode();
    }

    private HttpResponse<String> send(String path, String body, String key, String run, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(RawHttp.uri(base, path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).header("X-Gateway-Tags", "run=" + run).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawHttp.send(request);
    }

    private HttpResponse<String> admin(String method, String path, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(RawHttp.uri(base, path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        // a POST without a body still says JSON: the gateway refuses what a browser form could send
        request.header("Content-Type", "application/json");
        return RawHttp.send(request);
    }

    /** Waits past the last 15 s of a UTC minute, so that a per-minute test runs within one window. */
    private static void awayFromTheEndOfAMinute() {
        while (Instant.now().getEpochSecond() % 60 > 45) {
            sleep(200);
        }
    }

    /** Waits for the start of the next UTC second and returns it. */
    private static long awaitStartOfASecond() {
        long now = Instant.now().getEpochSecond();
        while (Instant.now().getEpochSecond() == now) {
            sleep(2);
        }
        return Instant.now().getEpochSecond();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
