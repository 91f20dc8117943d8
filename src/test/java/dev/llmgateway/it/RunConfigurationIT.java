package dev.llmgateway.it;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as its run configurations start it, probed the way orchestrators and hostile clients do: from the
 * process's first second, with bursts of the largest bodies it accepts on the heap it is sized for, and with
 * thousands of requests mutated inside (a jqwik property, fixed seed) against an OpenAI-compatible and an Anthropic
 * provider, tracing and content capture on. Runs on jqwik's engine: its generators need its lifecycle.
 */
class RunConfigurationIT {

    private static final String KEY = "run-configuration-key";
    private static final String SERVICE = "standalone-gateway";
    private static final String CHAT = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final int BODY = 8 * 1024 * 1024 - 4096;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static StandaloneGateway gateway;
    private static final List<Probe> startup = Collections.synchronizedList(new ArrayList<>());

    /** One answer seen while starting; status 0 when no connection could be made. */
    record Probe(long millis, String what, int status, String body) {
    }

    @BeforeContainer
    static void startAndProbeFromTheFirstSecond() throws Exception {
        gateway = StandaloneGateway.start(configuration());
        long started = System.nanoTime();
        long readySince = 0;
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(180)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            Probe health = probe(millis, "health", get("/health/ready"));
            startup.add(health);
            startup.add(probe(millis, "liveness", get("/health/live")));
            startup.add(probe(millis, "chat without key", post("/v1/chat/completions", CHAT, null)));
            startup.add(probe(millis, "chat with key", post("/v1/chat/completions", CHAT, KEY)));
            if (health.status() == 200 && readySince == 0) {
                readySince = millis;
            }
            if (readySince > 0 && millis - readySince > 3000) {
                return;
            }
            if (!gateway.alive()) {
                throw new AssertionError("the server exited while starting:\n" + gateway.log());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready within 180 s:\n" + gateway.log());
    }

    /** A gateway key, an OpenAI-compatible and an Anthropic provider on the stub, traces with content to the receiver. */
    private static Map<String, String> configuration() throws Exception {
        String stub = UpstreamStub.shared().baseUrl();
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "GATEWAY_AUTH_KEYS", "probe",
                "GATEWAY_AUTH_KEY_PROBE_SHA256", sha256(KEY),
                "GATEWAY_PROVIDERS", "dummy,stub,claude",
                "GATEWAY_PROVIDER_STUB_TYPE", "openai",
                "GATEWAY_PROVIDER_STUB_BASE_URL", stub,
                "GATEWAY_PROVIDER_CLAUDE_TYPE", "anthropic",
                "GATEWAY_PROVIDER_CLAUDE_BASE_URL", stub,
                "GATEWAY_PROVIDER_CLAUDE_API_KEY", "sk-ant-test",
                "GATEWAY_PROVIDER_CLAUDE_MODEL", "claude-sonnet-4-5",
                "GATEWAY_MODELS", "dummy,echo-model,claude"));
        environment.putAll(Map.of(
                "GATEWAY_MODEL_ECHO_MODEL_ROUTING", "stub",
                "GATEWAY_MODEL_CLAUDE_ROUTING", "claude",
                "GATEWAY_TRACING_ENABLED", "true",
                "GATEWAY_TRACING_ENDPOINT", OtlpReceiver.shared().httpEndpoint(),
                "GATEWAY_TRACING_PROTOCOL", "http/protobuf",
                "GATEWAY_TRACING_SERVICE_NAME", SERVICE,
                "GATEWAY_TRACING_CAPTURE_CONTENT", "true",
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
        return environment;
    }

    /** Whatever ran, nothing the gateway did not expect happened (every 500 would be counted); then it stops. */
    @AfterContainer
    static void nothingUnexpectedThenStop() throws InterruptedException {
        if (gateway == null) {
            return;
        }
        try {
            assertThat(new Scrape(get("/metrics").body()).sum("gateway_unexpected_failures_total")).isZero();
            assertThat(gateway.log()).doesNotContain("Unexpected failure");
        } finally {
            gateway.close();
        }
    }

    @Example
    void probesFromTheFirstSecondNeverFindItOpenUnconfiguredOrKeyless() {
        long ready = startup.stream().filter(p -> p.what().equals("health") && p.status() == 200).findFirst().orElseThrow().millis();
        List<Probe> before = startup.stream().filter(p -> p.millis() < ready).toList();

        System.out.println("answers before ready: " + before.stream().filter(p -> p.status() > 0)
                .map(p -> p.what() + " " + p.status() + " " + p.body().substring(0, Math.min(120, p.body().length()))).distinct().toList());
        if (!StandaloneGateway.liberty()) {
            // Open Liberty opens its port only once the application has started; Payara Micro answers long before
            assertThat(before).as("probes answered while deploying (the window this test is about)").anyMatch(p -> p.status() > 0);
            assertThat(before).as("readiness DOWN with the configuration bound but the deployment not complete").anyMatch(p ->
                    p.what().equals("health") && p.status() == 503 && p.body().contains("\"name\":\"llm-gateway\",\"status\":\"DOWN\""));
        }
        assertThat(startup).as("requests without a key, from the first second on")
                .filteredOn(p -> p.what().equals("chat without key")).noneMatch(p -> p.status() >= 200 && p.status() < 300);
        assertThat(startup).as("health after the first UP").filteredOn(p -> p.what().equals("health") && p.millis() >= ready)
                .allMatch(p -> p.status() == 200 && p.body().replace("\"", "").contains("models:3"));
        assertThat(startup).as("the gateway's liveness check, wherever it answers: UP, so a slow start is never restarted")
                .filteredOn(p -> p.what().equals("liveness") && p.body().contains("\"llm-gateway\"")).isNotEmpty()
                .allMatch(p -> p.body().contains("\"name\":\"llm-gateway\",\"status\":\"UP\""));
        assertThat(before).as("gateway answers while deploying").filteredOn(p -> p.body().contains("\"error\""))
                .allMatch(p -> p.status() == 503 && p.body().contains("gateway_starting") || p.status() == 401);
        assertThat(startup).as("chat with a key once ready").filteredOn(p -> p.what().equals("chat with key") && p.millis() > ready)
                .isNotEmpty().allMatch(p -> p.status() == 200 && p.body().contains("chat.completion"));
        assertThat(get("/v1/models", KEY).body()).contains("\"id\":\"dummy\"");
        String configured = gateway.log().lines().filter(l -> l.contains("LLM gateway configured")).findFirst().orElseThrow();
        assertThat(configured.replaceAll(".*providers \\[([^]]*)].*", "$1").split(", ")).containsExactlyInAnyOrder("dummy", "stub", "claude");
        assertThat(configured.replaceAll(".*models \\[([^]]*)].*", "$1").split(", ")).containsExactlyInAnyOrder("dummy", "echo-model", "claude");
    }

    @Example
    void burstsOfTheLargestBodiesNeitherStopTheGatewayNorCostOrdinaryRequests() throws Exception {
        List<byte[]> bombs = List.of(
                body("\"metadata\":[", "0,", "0]}"),
                body("\"metadata\":[", "{},", "{}]}"),
                body("\"metadata\":", "[", ""),
                body("\"metadata\":[", "\"abcdefghijklmnopqrstuvwxyz01\",", "\"\"]}"),
                body("\"metadata\":[", "{\"a\":0},", "{}]}"),
                body("\"user\":\"", "€", "\"}"));
        Map<Integer, AtomicLong> bombAnswers = new ConcurrentHashMap<>();
        Map<Integer, AtomicLong> ordinaryAnswers = new ConcurrentHashMap<>();
        List<Socket> declaredOnly = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 48; i++) {
                declaredOnly.add(headersOnly());
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int t = 0; t < 12; t++) {
                int first = t;
                senders.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        count(bombAnswers, post("/v1/chat/completions", bombs.get(i % bombs.size()), KEY));
                    }
                    return null;
                });
            }
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    while (System.nanoTime() < end) {
                        count(ordinaryAnswers, post("/v1/chat/completions", CHAT.getBytes(StandardCharsets.UTF_8), KEY));
                    }
                    return null;
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            senders.shutdownNow();
            for (Socket socket : declaredOnly) {
                socket.close();
            }
        }

        System.out.printf("burst on %s: large bodies %s, ordinary requests %s%n", StandaloneGateway.liberty() ? "liberty" : "payara",
                bombAnswers, ordinaryAnswers);
        assertThat(gateway.alive()).as("the server process is alive").isTrue();
        assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(ordinaryAnswers.keySet()).as("ordinary requests' statuses: %s", ordinaryAnswers).containsOnly(200);
        assertThat(ordinaryAnswers.get(200).get()).isGreaterThan(20);
        assertThat(bombAnswers.keySet()).as("large bodies' statuses: %s", bombAnswers).isSubsetOf(200, 400, 413, 429).contains(400, 429);
    }

    @Property(tries = 2500, seed = "20261129")
    void requestsMutatedInsideGetAnAnswerOrAWellFormed4xxNeverA500(@ForAll("hostile") HostileRequests.Case request) {
        answeredOrRefusedWell(request);
    }

    @Property(tries = 1200, seed = "20261129")
    void embeddingsCompletionsResponsesAndMessagesMutatedInsideGetAnAnswerOrAWellFormed4xx(@ForAll("hostileOtherEndpoints") HostileRequests.Case request) {
        answeredOrRefusedWell(request);
    }

    /** A whole answer in its endpoint's shape, a stream that ended as its endpoint ends one, or a well-formed 4xx naming a parameter. */
    private static void answeredOrRefusedWell(HostileRequests.Case request) {
        HttpResponse<String> response = post(request.path(), request.body(), KEY);

        assertThat(response).as("an answer to %s", request).isNotNull();
        int status = response.statusCode();
        assertThat(status).as("%s → %s", request, response.body()).isBetween(200, 499);
        String body = response.body();
        boolean anthropic = request.path().equals("/v1/messages");
        if (status != 200 && anthropic) {
            assertThat(body).as(request.toString()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"").contains("\"message\":\"")
                    .doesNotContain("\tat ").doesNotContain("Exception");
        } else if (status != 200) {
            assertThat(body).as(request.toString()).startsWith("{\"error\":{\"message\":\"").contains("\"type\":\"").contains("\"param\":")
                    .doesNotContain("\tat ").doesNotContain("Exception");
        } else if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            assertThat(body).as(request.toString()).satisfiesAnyOf(b -> assertThat(b).endsWith("data: [DONE]\n\n"),
                    b -> assertThat(b).contains("event: response.completed\n").doesNotContain("event: error"),
                    b -> assertThat(b).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").doesNotContain("event: error"));
        } else {
            assertThat(body).as(request.toString()).startsWith("{").containsPattern("\"(choices|data|output)\"|\"type\":\\s*\"message\"");
        }
    }

    @Provide
    Arbitrary<HostileRequests.Case> hostileOtherEndpoints() {
        return HostileRequests.otherEndpointCases(List.of("dummy", "echo-model", "claude"));
    }

    @Provide
    Arbitrary<HostileRequests.Case> hostile() {
        return HostileRequests.cases(List.of("dummy", "echo-model", "claude"));
    }

    /** The mutated requests reach the code in question: the Anthropic translation and content capture onto spans. */
    @Example
    void theConsoleShowsOneLinePerInference() throws InterruptedException {
        HttpResponse<String> answer = post("/v1/chat/completions", CHAT, KEY);
        assertThat(answer.statusCode()).isEqualTo(200);
        String inferenceId = answer.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();

        List<String> lines = List.of();
        for (int i = 0; i < 50 && lines.isEmpty(); i++) {
            Thread.sleep(100);
            lines = gateway.log().lines().filter(line -> line.contains(inferenceId)).toList();
        }
        Thread.sleep(300); // a record's parameters would follow its line at once
        lines = gateway.log().lines().filter(line -> line.contains(inferenceId)).toList();
        assertThat(lines).as("the console as the run configuration writes it").hasSize(1);
        assertThat(lines.get(0)).contains("inference_id=" + inferenceId).contains("trace_id=");
    }

    @Example
    void aToolCallToTheAnthropicProviderIsTracedWithItsContent() {
        HttpResponse<String> answer = post("/v1/chat/completions", HostileRequests.Tree.write(HostileRequests.Tree.parse(
                HostileRequests.TOOLS_REQUEST.formatted("claude"))), KEY);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String inferenceId = answer.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
        OtlpReceiver.ReceivedSpan span = OtlpReceiver.shared().await(s -> SERVICE.equals(s.resourceAttribute("service.name"))
                && s.name().equals("chat claude-sonnet-4-5") && OtlpReceiver.shared().spans().stream().anyMatch(other ->
                other.traceId().equals(s.traceId()) && inferenceId.equals(other.string("gateway.inference_id"))), Duration.ofSeconds(20));
        assertThat(span.string("gen_ai.input.messages")).contains("get_weather").contains("Paris");
    }

    private static void count(Map<Integer, AtomicLong> answers, HttpResponse<String> response) {
        int status = response == null ? 0 : response.statusCode();
        answers.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        if (response != null && (status == 429 || status == 503)) {
            assertThat(response.headers().firstValue("Retry-After")).as("%d says when to retry", status).isPresent();
        }
    }

    /** A chat request grown to just under the body limit, in UTF-8 bytes, by repeating {@code unit} inside one member. */
    private static byte[] body(String open, String unit, String close) {
        String start = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + open;
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        int units = (BODY - start.length() - close.length()) / unitBytes;
        return (start + unit.repeat(units) + close).getBytes(StandardCharsets.UTF_8);
    }

    /** A connection that declares the largest body and sends almost none of it. */
    private static Socket headersOnly() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.base().getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY
                + "\r\nContent-Length: " + BODY + "\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static Probe probe(long millis, String what, HttpResponse<String> response) {
        return response == null ? new Probe(millis, what, 0, "")
                : new Probe(millis, what, response.statusCode(), response.body().substring(0, Math.min(300, response.body().length())));
    }

    private static HttpResponse<String> get(String path) {
        return get(path, null);
    }

    private static HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.base() + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private static HttpResponse<String> post(String path, String body, String key) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), key);
    }

    private static HttpResponse<String> post(String path, byte[] body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    /** The answer, or null when there was none (nothing listening yet, or the connection broke). */
    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return RawHttp.sendOrNull(request, Duration.ofSeconds(30));
    }

    private static String sha256(String text) {
        return GatewayDeployment.sha256(text);
    }
}
