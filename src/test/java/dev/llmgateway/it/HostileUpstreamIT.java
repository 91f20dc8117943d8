package dev.llmgateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway at its run configuration's heap against an upstream that attacks it ({@link HostileUpstream}): answers
 * of the largest size many at once, credentials echoed in errors of every status and shape, JSON nested past the
 * parser's limit, events that forge the stream's framing; and clients that send ambiguous JSON or reach for another
 * key's stored responses. The process stays up, no answer is a 500, and no secret reaches a client or a span.
 */
class HostileUpstreamIT {

    private static final String KEY_A = "hostile-it-key-a";
    private static final String KEY_B = "hostile-it-key-b";
    private static final String PROVIDER_KEY = "sk-hostile-planted-key-7f3a9c";
    private static final String SERVICE = "hostile-upstream-gateway";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private static final long BODY_TIMEOUT_MS = 4_000;
    private static HostileUpstream hostile;
    private static StandaloneGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        hostile = new HostileUpstream();
        Map<String, String> environment = new HashMap<>(Map.of(
                "GATEWAY_AUTH_KEYS", "a,b",
                "GATEWAY_AUTH_KEY_A_SHA256", sha256(KEY_A),
                "GATEWAY_AUTH_KEY_B_SHA256", sha256(KEY_B),
                "GATEWAY_PROVIDERS", "dummy,stub,hostile",
                "GATEWAY_PROVIDER_STUB_TYPE", "openai",
                "GATEWAY_PROVIDER_STUB_BASE_URL", UpstreamStub.shared().baseUrl(),
                "GATEWAY_PROVIDER_HOSTILE_TYPE", "openai",
                "GATEWAY_PROVIDER_HOSTILE_BASE_URL", hostile.baseUrl(),
                "GATEWAY_PROVIDER_HOSTILE_API_KEY", PROVIDER_KEY,
                "GATEWAY_MODELS", "dummy,echo-model,huge,huge-stored,leaky,deep,deep-then-stub,forged,mutant"));
        environment.putAll(Map.of(
                "GATEWAY_MODEL_ECHO_MODEL_ROUTING", "stub",
                "GATEWAY_PROVIDER_STUB_MODEL", "echo-model",
                "GATEWAY_MODEL_HUGE_ROUTING", "hostile",
                "GATEWAY_MODEL_HUGE_STORED_ROUTING", "hostile",
                "GATEWAY_MODEL_LEAKY_ROUTING", "hostile",
                "GATEWAY_MODEL_DEEP_ROUTING", "hostile",
                "GATEWAY_MODEL_DEEP_THEN_STUB_ROUTING", "hostile,stub",
                "GATEWAY_MODEL_FORGED_ROUTING", "hostile",
                "GATEWAY_MODEL_MUTANT_ROUTING", "hostile"));
        environment.putAll(Map.of(
                "GATEWAY_TRACING_ENABLED", "true",
                "GATEWAY_TRACING_ENDPOINT", OtlpReceiver.shared().httpEndpoint(),
                "GATEWAY_TRACING_PROTOCOL", "http/protobuf",
                "GATEWAY_TRACING_SERVICE_NAME", SERVICE,
                "GATEWAY_TRACING_CAPTURE_CONTENT", "true",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "GATEWAY_REQUEST_BODY_TIMEOUT_MS", Long.toString(BODY_TIMEOUT_MS)));
        gateway = StandaloneGateway.start(environment);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(gateway.base() + "/health/ready")).GET());
            if (ready != null && ready.statusCode() == 200) {
                return;
            }
            if (!gateway.alive() || System.nanoTime() > deadline) {
                throw new AssertionError("the gateway did not start:\n" + gateway.log());
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void nothingUnexpectedThenStop() throws InterruptedException {
        try {
            if (gateway != null) {
                assertThat(new Scrape(get("/metrics", KEY_A).body()).sum("gateway_unexpected_failures_total")).isZero();
                assertThat(gateway.log()).doesNotContain("Unexpected failure").doesNotContain(PROVIDER_KEY);
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (hostile != null) {
                hostile.close();
            }
        }
    }

    @Test
    void sixtyFourConcurrentMaximumSizeAnswersAreRefusedAndTheProcessStaysUp() throws Exception {
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            List<String> stored = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                HttpResponse<String> made = post("/v1/responses", "{\"model\":\"huge-stored\",\"input\":\"x\"}", KEY_A);
                assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
                stored.add(made.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1"));
            }
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String path = i % 4 == 3 ? "/v1/responses/" + stored.get(i / 4) : i % 2 == 0 ? "/v1/embeddings" : "/v1/chat/completions";
                String body = path.endsWith("embeddings") ? "{\"model\":\"huge\",\"input\":\"x\"}"
                        : "{\"model\":\"huge\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                calls.add(clients.submit(() -> {
                    HttpResponse<String> answer = path.startsWith("/v1/responses/") ? get(path, KEY_A) : post(path, body, KEY_A);
                    statuses.computeIfAbsent(answer == null ? 0 : answer.statusCode(), s -> new AtomicLong()).incrementAndGet();
                    if (answer != null) {
                        bodies.add(answer.body());
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.println("64 answers of " + HostileUpstream.HUGE_BYTES + " bytes on " + (StandaloneGateway.liberty() ? "liberty" : "payara") + ": " + statuses);
        assertThat(gateway.alive()).as("the process is alive").isTrue();
        assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
        assertThat(statuses.keySet()).as("502 upstream_too_large or 429 gateway_overloaded, each answered").isSubsetOf(502, 429);
        assertThat(bodies).hasSize(64).allMatch(b -> b.contains("\"upstream_too_large\"") || b.contains("\"gateway_overloaded\""));
        HttpResponse<String> alone = post("/v1/embeddings", "{\"model\":\"huge\",\"input\":\"x\"}", KEY_A);
        assertThat(alone.statusCode()).as("one alone is more than this heap's budget could ever hold: " + alone.body()).isEqualTo(502);
        assertThat(alone.body()).contains("\"upstream_too_large\"");
        assertThat(post("/v1/chat/completions", "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", KEY_A).statusCode())
                .isEqualTo(200);
    }

    @Test
    void credentialsAnUpstreamEchoesReachNoClientAndNoSpan() throws Exception {
        List<String> inferenceIds = new ArrayList<>();
        int answers = 0;
        for (int status : new int[] {400, 404, 409, 422, 500, 502, 503}) {
            for (String shape : List.of("json", "html", "text")) {
                for (String path : List.of("/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses")) {
                    String body = switch (path) {
                        case "/v1/embeddings" -> "{\"model\":\"leaky\",\"input\":\"x\",\"user\":\"" + status + "-" + shape + "\"}";
                        case "/v1/completions" -> "{\"model\":\"leaky\",\"prompt\":\"x\",\"user\":\"" + status + "-" + shape + "\"}";
                        case "/v1/responses" -> "{\"model\":\"leaky\",\"input\":\"x\",\"user\":\"" + status + "-" + shape + "\"}";
                        default -> "{\"model\":\"leaky\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"" + status + "-" + shape + "\"}";
                    };
                    HttpResponse<String> answer = post(path, body, KEY_A);
                    answers++;
                    assertThat(answer.statusCode()).as("%s %d %s", path, status, shape).isBetween(400, 504).isNotEqualTo(500);
                    assertNoSecret(answer.body(), path + " " + status + " " + shape);
                    answer.headers().firstValue("X-Gateway-Inference-Id").ifPresent(inferenceIds::add);
                }
            }
        }
        HttpResponse<String> stream = post("/v1/chat/completions", "{\"model\":\"leaky\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"user\":\"200-stream\"}", KEY_A);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("\"error\"");
        assertNoSecret(stream.body(), "a stream's error event");
        assertThat(answers).isEqualTo(84);
        assertThat(inferenceIds).hasSizeGreaterThan(60);

        String last = inferenceIds.get(inferenceIds.size() - 1);
        OtlpReceiver.shared().await(s -> last.equals(s.string("gateway.inference_id")), Duration.ofSeconds(20));
        Thread.sleep(500);
        List<OtlpReceiver.ReceivedSpan> spans = OtlpReceiver.shared().spans().stream()
                .filter(s -> SERVICE.equals(s.resourceAttribute("service.name"))).toList();
        long failed = spans.stream().filter(OtlpReceiver.ReceivedSpan::failed).count();
        assertThat(failed).as("the failed attempts' spans were read").isGreaterThan(60);
        for (OtlpReceiver.ReceivedSpan span : spans) {
            assertNoSecret(span.span().toString(), "span " + span.name());
        }
    }

    @Test
    void jsonNestedPastTheParsersLimitIsAnUpstreamErrorAndFallsBack() {
        String chat = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> deep = post("/v1/chat/completions", chat.formatted("deep"), KEY_A);
        assertThat(deep.statusCode()).as(deep.body()).isEqualTo(502);
        assertThat(deep.body()).contains("\"upstream_error\"").contains("can read");
        HttpResponse<String> fallback = post("/v1/chat/completions", chat.formatted("deep-then-stub"), KEY_A);
        assertThat(fallback.statusCode()).as(fallback.body()).isEqualTo(200);
        assertThat(fallback.headers().firstValue("X-Gateway-Provider")).as("answered by the next provider").hasValue("stub");
    }

    @Test
    void anEventThatForgesTheFramingIsRefusedNotRelayed() {
        HttpResponse<String> answer = post("/v1/responses", "{\"model\":\"forged\",\"stream\":true,\"input\":\"hi\"}", KEY_A);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
        assertThat(answer.body()).doesNotContain("event: forged").contains("upstream_error");
    }

    @Test
    void ambiguousJsonIsRefusedAtTheEdge() {
        String start = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        for (String body : List.of(start + "} xyz", start + "}{\"model\":\"other\"}", start + ",\"model\":\"echo-model\"}",
                start + ",\"user\":\"\\ud800\"}", start + ",\"metadata\":{\"a\":{\"b\":1,\"b\":2}}}")) {
            HttpResponse<String> answer = post("/v1/chat/completions", body, KEY_A);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).containsAnyOf("content after", "lone surrogate", "same key twice");
        }
    }

    @Test
    void storedResponsesAreTheirKeysOnlyAndGoThroughTheCallLimits() {
        HttpResponse<String> made = post("/v1/responses", "{\"model\":\"echo-model\",\"input\":\"hi\",\"store\":true}", KEY_A);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        String id = made.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");

        assertThat(get("/v1/responses/" + id, KEY_A).statusCode()).isEqualTo(200);
        assertThat(get("/v1/responses/" + id + "/input_items?limit=5&order=asc", KEY_A).statusCode()).isEqualTo(200);
        for (HttpResponse<String> other : List.of(get("/v1/responses/" + id, KEY_B), get("/v1/responses/" + id + "/input_items", KEY_B),
                send(HttpRequest.newBuilder(URI.create(gateway.base() + "/v1/responses/" + id)).header("Authorization", "Bearer " + KEY_B).DELETE()),
                post("/v1/responses/" + id + "/cancel", "", KEY_B),
                post("/v1/responses", "{\"model\":\"echo-model\",\"input\":\"more\",\"previous_response_id\":\"" + id + "\"}", KEY_B),
                get("/v1/responses/resp_never_seen?model=echo-model", KEY_A))) {
            assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
            assertThat(other.body()).contains("response_not_found");
        }
        HttpResponse<String> unknownParameter = get("/v1/responses/" + id + "?api-version=2020-01-01", KEY_A);
        assertThat(unknownParameter.statusCode()).isEqualTo(400);
        assertThat(unknownParameter.body()).contains("\"param\":\"api-version\"");
        for (String query : List.of("?%zz=1", "?include=%zz", "?include=a%2")) {
            // as sent byte for byte: no HTTP client sends a malformed escape
            RawSocket.Answer malformed = RawSocket.exchange(gateway.base(), "GET", "/v1/responses/" + id + query,
                    Map.of("Authorization", "Bearer " + KEY_A), null);
            assertThat(malformed.status()).as(query + " " + malformed.body()).isEqualTo(400);
        }
        HttpResponse<String> conversation = post("/v1/responses", "{\"model\":\"echo-model\",\"input\":\"x\",\"conversation\":\"conv_1\"}", KEY_B);
        assertThat(conversation.statusCode()).isEqualTo(400);
        assertThat(conversation.body()).contains("\"param\":\"conversation\"");
        HttpResponse<String> reference = post("/v1/responses", "{\"model\":\"echo-model\",\"input\":[{\"type\":\"item_reference\","
                + "\"id\":\"msg_1\"}]}", KEY_B);
        assertThat(reference.statusCode()).isEqualTo(400);
        assertThat(reference.body()).contains("\"param\":\"input[0]\"");
        HttpResponse<String> untyped = post("/v1/responses", "{\"model\":\"echo-model\",\"input\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"id\":\"msg_1\"}]}", KEY_B);
        assertThat(untyped.statusCode()).as("an item that is only an id is a reference by default").isEqualTo(400);
        assertThat(untyped.body()).contains("\"param\":\"input[1]\"");
        assertThat(post("/v1/responses", "{\"model\":\"echo-model\",\"input\":\"more\",\"previous_response_id\":\"" + id + "\"}", KEY_A).statusCode())
                .isEqualTo(200);
        assertThat(new Scrape(get("/metrics", KEY_A).body()).sum("gateway_requests_total", "endpoint=\"responses_stored\""))
                .as("counted as the calls they are").isGreaterThanOrEqualTo(8);
    }

    @Test
    void bodiesTricklingInAreCutAtTheirTimeoutAndGiveTheirMemoryBack() throws Exception {
        List<Socket> tricklers = new ArrayList<>();
        byte[] start = ("{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1 << 20)).getBytes(StandardCharsets.US_ASCII);
        long began = System.nanoTime();
        for (int i = 0; i < 90; i++) {
            Socket socket = new Socket("127.0.0.1", gateway.base().getPort());
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + KEY_A + "\r\nContent-Length: " + (2 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                socket.getOutputStream().write(start);
            } catch (IOException refusedWhileSending) {
                // answered 429 before the megabyte was in: read below
            }
            tricklers.add(socket);
        }
        Thread dripping = new Thread(() -> {
            while (System.nanoTime() - began < TimeUnit.SECONDS.toNanos(60)) {
                for (Socket socket : tricklers) {
                    try {
                        socket.getOutputStream().write('a');
                        socket.getOutputStream().flush();
                    } catch (IOException answered) {
                        // refused: nothing more to send on it
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        dripping.start();
        String large = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "b".repeat(300_000) + "\"}]}";
        int whileHeld = post("/v1/chat/completions", large, KEY_A).statusCode();
        Map<Integer, Integer> answers = new java.util.TreeMap<>();
        for (Socket socket : tricklers) {
            RawSocket.Answer answer = RawSocket.readOne(socket.getInputStream());
            answers.merge(answer.status(), 1, Integer::sum);
        }
        long answeredWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        dripping.interrupt();
        for (Socket socket : tricklers) {
            socket.close();
        }
        HttpResponse<String> after = post("/v1/chat/completions", large, KEY_A);
        System.out.printf("90 bodies trickling on %s: %s within %d ms; a 300 KB request while they held the budget: %d, after: %d%n",
                StandaloneGateway.liberty() ? "liberty" : "payara", answers, answeredWithin, whileHeld, after.statusCode());
        assertThat(answers.keySet()).as("every trickling body answered: 408, or 429 while the budget was held").isSubsetOf(408, 429).contains(408);
        // Open Liberty's read waits to fill what it is asked for: there the runtime's read timeout (30 s) is the bound
        assertThat(answeredWithin).as("cut at the next byte past the timeout").isLessThan(StandaloneGateway.liberty() ? 36_000 : BODY_TIMEOUT_MS + 5_000);
        assertThat(after.statusCode()).as("the budget is back").isEqualTo(200);
    }

    /** 800 seeded mutations of valid answers (cut, spliced, deepened, not UTF-8, any status), whole and streamed, on every endpoint. */
    @Test
    void mutatedUpstreamAnswersAreAnsweredOrFailCleanlyOnEveryEndpoint() {
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int seed = 0; seed < 800; seed++) {
            String path = List.of("/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses").get(seed % 4);
            boolean stream = !path.endsWith("embeddings") && (seed / 4) % 2 == 1;
            String input = switch (path) {
                case "/v1/chat/completions" -> "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
                case "/v1/completions" -> "\"prompt\":\"hi\"";
                default -> "\"input\":\"hi\"";
            };
            String body = "{\"model\":\"mutant\",\"user\":\"" + seed + "\"," + input + (stream ? ",\"stream\":true" : "") + "}";
            HttpResponse<String> answer = post(path, body, KEY_A);
            assertThat(answer).as("an answer to seed %d on %s", seed, path).isNotNull();
            int status = answer.statusCode();
            String shown = "seed " + seed + " " + path + (stream ? " streamed" : "") + " → " + status + " " + answer.body();
            assertThat(status).as(shown).isNotEqualTo(500).satisfiesAnyOf(s -> assertThat(s).isBetween(200, 499), s -> assertThat(s).isIn(502, 504));
            if (status != 200) {
                assertThat(answer.body()).as(shown).startsWith("{\"error\":{\"message\":\"").doesNotContain("Exception");
            } else if (stream) {
                assertThat(answer.body()).as(shown).satisfiesAnyOf(b -> assertThat(b).endsWith("data: [DONE]\n\n"),
                        b -> assertThat(b).contains("data: {\"error\""), b -> assertThat(b).contains("event: response.completed\n"),
                        b -> assertThat(b).contains("event: error\n"));
            }
            outcomes.merge(status + (stream ? " streamed" : ""), 1, Integer::sum);
        }
        System.out.println("800 mutated upstream answers on " + (StandaloneGateway.liberty() ? "liberty" : "payara") + ": " + outcomes);
        assertThat(outcomes).as("the mutations reached both outcomes").containsKeys("200", "502");
    }

    private static void assertNoSecret(String text, String where) {
        String basic = Base64.getEncoder().encodeToString(("user:" + PROVIDER_KEY).getBytes(StandardCharsets.UTF_8));
        assertThat(text).as(where).doesNotContain(PROVIDER_KEY).doesNotContain("planted-key")
                .doesNotContain(URLEncoder.encode(PROVIDER_KEY, StandardCharsets.UTF_8)).doesNotContain(basic.substring(4, basic.length() - 4));
    }

    private static HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(gateway.base() + path)).header("Authorization", "Bearer " + key).GET());
    }

    private static HttpResponse<String> post(String path, String body, String key) {
        return send(HttpRequest.newBuilder(URI.create(gateway.base() + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The answer, or null when there was none (nothing listening yet, or the connection broke). */
    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return RawHttp.sendOrNull(request, Duration.ofSeconds(60));
    }

    private static String sha256(String text) {
        return GatewayDeployment.sha256(text);
    }
}
