package dev.llmgateway.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible upstream on loopback. Its behaviour follows the model name it receives, so one stub
 * serves every scenario; it records what the gateway forwarded for the tests to check.
 */
public final class UpstreamStub {

    /** The answer of the stub's {@code echo-model}, streamed in these pieces. */
    public static final List<String> STREAMED_WORDS = List.of("Streaming ", "through ", "the ", "gateway ", "works.");
    public static final String COMPLETION_TEXT = "Hello from the upstream stub.";
    /** What the Anthropic fixture's count_tokens answers. */
    public static final long COUNTED_TOKENS = 2095;
    /** How many calls to the model "all-at-once" must be waiting together before any is answered. */
    public static final int ALL_AT_ONCE = 100;
    /** How long the model "five-seconds" takes to answer: long enough that all of ConcurrencyIT's calls arrive while the first still wait, on a loaded machine too. */
    public static final long SLOW_ANSWER_MS = 5_000;
    /** What the model "firehose" streams, as fast as its reader takes it. */
    public static final long FIREHOSE_BYTES = 256L * 1024 * 1024;
    public static final long CHUNK_GAP_MS = 150;

    /** A request as it reached the stub. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, long atNanos) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static UpstreamStub shared;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upstream-stub");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Received> lastByModel = new ConcurrentHashMap<>();
    private final Map<String, Long> streamFinishedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> streamAbortedAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final CyclicBarrier allAtOnce = new CyclicBarrier(ALL_AT_ONCE);
    private final AtomicInteger slowInFlight = new AtomicInteger();
    private final AtomicInteger slowPeak = new AtomicInteger();
    private final AtomicInteger heldArrivals = new AtomicInteger();
    private volatile CountDownLatch heldRelease = new CountDownLatch(1);
    private final AtomicLong firehoseWritten = new AtomicLong();

    private UpstreamStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        // the other endpoints answer per model as chat does; echo-model answers in the endpoint's own shape
        server.createContext("/v1/embeddings", this::chat);
        server.createContext("/v1/completions", this::chat);
        server.createContext("/v1/responses", this::chat);
        server.createContext("/openai/responses", exchange -> fixture(exchange, "azure"));
        server.createContext("/v1/messages", exchange -> fixture(exchange, "anthropic"));
        server.createContext("/openai/deployments/", exchange -> fixture(exchange, "azure"));
        server.start();
    }

    /** One stub per test JVM, started before the first deployment is built. */
    public static synchronized UpstreamStub shared() {
        if (shared == null) {
            try {
                shared = new UpstreamStub();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the upstream stub", e);
            }
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public Received last(String model) {
        return lastByModel.get(model);
    }

    /** When the stub wrote the last byte of its latest stream for that model (System.nanoTime). */
    public Long streamFinishedAt(String model) {
        return streamFinishedAt.get(model);
    }

    private void chat(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().startsWith("/v1/responses/")) {
            stored(exchange, "stored");
            return;
        }
        long at = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = MODEL.matcher(body);
        String model = m.find() ? m.group(1) : "";
        lastByModel.put(model, new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body, at));
        boolean stream = streamed(body);
        try (exchange) {
            switch (model) {
                case "echo-model" -> {
                    // as OpenAI reports an account's limits: the gateway tells its client the tighter of these and a key's own
                    exchange.getResponseHeaders().add("x-ratelimit-limit-requests", "10000");
                    exchange.getResponseHeaders().add("x-ratelimit-remaining-requests", "9999");
                    exchange.getResponseHeaders().add("x-ratelimit-reset-requests", "6ms");
                    exchange.getResponseHeaders().add("x-ratelimit-limit-tokens", "30000");
                    exchange.getResponseHeaders().add("x-ratelimit-remaining-tokens", "29000");
                    exchange.getResponseHeaders().add("x-ratelimit-reset-tokens", "1m30.5s");
                    String path = exchange.getRequestURI().getPath();
                    if (path.endsWith("/embeddings")) {
                        json(exchange, 200, embeddings(model));
                    } else if (path.endsWith("/v1/responses")) {
                        if (stream) {
                            streamResponse(exchange, model);
                        } else {
                            json(exchange, 200, response(model, "completed", COMPLETION_TEXT));
                        }
                    } else if (path.endsWith("/v1/completions")) {
                        if (stream) {
                            streamText(exchange, model, body.replace(" ", "").contains("\"include_usage\":true"));
                        } else {
                            json(exchange, 200, textCompletion(model));
                        }
                    } else if (stream) {
                        streamEcho(exchange, model, body.replace(" ", "").contains("\"include_usage\":true"));
                    } else {
                        json(exchange, 200, completion(model));
                    }
                }
                case "fail-500" -> json(exchange, 500, "{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}");
                case "fail-401" -> json(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-provider-key\"}}");
                case "fail-400" -> json(exchange, 400, "{\"error\":{\"message\":\"max_tokens is too large for this model\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"max_tokens\",\"code\":\"context_length_exceeded\"}}");
                case "fail-429" -> {
                    exchange.getResponseHeaders().add("Retry-After", "7");
                    json(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
                }
                case "flaky" -> {
                    // fails twice, then answers: every third call succeeds
                    if (calls(model) % 3 != 0) {
                        json(exchange, 503, "{\"error\":{\"message\":\"try again\"}}");
                    } else {
                        json(exchange, 200, completion(model));
                    }
                }
                case "rate-limited-once" -> {
                    if (calls(model) % 2 == 1) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                        json(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
                    } else {
                        json(exchange, 200, completion(model));
                    }
                }
                case "all-at-once" -> {
                    // as a model that takes long to answer: every call waits until ALL_AT_ONCE are in flight together
                    if (gathered()) {
                        json(exchange, 200, completion(model));
                    } else {
                        json(exchange, 504, "{\"error\":{\"message\":\"fewer than " + ALL_AT_ONCE + " calls arrived together\"}}");
                    }
                }
                case "five-seconds" -> {
                    // a model that takes seconds: counts how many such calls wait together
                    slowPeak.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
                    sleep(SLOW_ANSWER_MS);
                    slowInFlight.decrementAndGet();
                    json(exchange, 200, completion(model));
                }
                case "held" -> {
                    heldArrivals.incrementAndGet();
                    await(heldRelease);
                    json(exchange, 200, completion(model));
                }
                case "firehose" -> firehose(exchange, model);
                case "slow" -> {
                    sleep(3_000);
                    json(exchange, 200, completion(model));
                }
                case "break-mid-stream" -> breakMidStream(exchange, model);
                case "malformed-json" -> json(exchange, 200, "{\"id\":\"chatcmpl-bad\",\"choices\":[{\"message\":{\"content\":\"Hi\"}");
                case "malformed-sse" -> malformedStream(exchange, model);
                case "endless-stream" -> endlessStream(exchange, model);
                case "held-open-stream" -> heldOpenStream(exchange, model);
                case "late-stream" -> {
                    // the first chunk comes late: time for a client to leave before the gateway writes anything
                    sleep(1_500);
                    streamEcho(exchange, model, false);
                }
                default -> json(exchange, 404, "{\"error\":{\"message\":\"The model '" + model + "' does not exist\"}}");
            }
        }
    }

    /** The most calls to "five-seconds" that were waiting at once since the last reset. */
    public int slowPeak() {
        return slowPeak.get();
    }

    public void resetSlowPeak() {
        slowPeak.set(0);
    }

    /** Calls to "held" that arrived since the last release; each waits for {@link #releaseHeld()}. */
    public int heldArrivals() {
        return heldArrivals.get();
    }

    public void releaseHeld() {
        CountDownLatch release = heldRelease;
        heldRelease = new CountDownLatch(1);
        heldArrivals.set(0);
        release.countDown();
    }

    /** Bytes of its latest stream the "firehose" model could write so far. */
    public long firehoseWritten() {
        return firehoseWritten.get();
    }

    /** Streams {@link #FIREHOSE_BYTES} in 4 KiB events as fast as the gateway takes them, unless it hangs up first. */
    private void firehose(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        byte[] event = ("data: " + chunk(model, "{\"content\":\"" + "x".repeat(4000) + "\"}", null) + "\n\n").getBytes(StandardCharsets.UTF_8);
        firehoseWritten.set(0);
        try {
            while (firehoseWritten.get() < FIREHOSE_BYTES) {
                out.write(event);
                out.flush();
                firehoseWritten.addAndGet(event.length);
            }
            send(out, "data: [DONE]\n\n");
        } catch (IOException gone) {
            streamAbortedAt.put(model, System.nanoTime());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int calls(String model) {
        return calls.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
    }

    /** Anthropic and Azure answer with their recorded fixtures; the stream is paced like a real one. */
    private void fixture(HttpExchange exchange, String provider) throws IOException {
        if (exchange.getRequestURI().getPath().startsWith("/openai/responses/")) {
            stored(exchange, "azure-stored");
            return;
        }
        long at = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (exchange.getRequestURI().getPath().endsWith("/messages/count_tokens")) {
            lastByModel.put("anthropic-count", new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body, at));
            try (exchange) {
                json(exchange, 200, "{\"input_tokens\":" + COUNTED_TOKENS + "}");
            }
            return;
        }
        lastByModel.put(provider, new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), body, at));
        boolean stream = streamed(body);
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/openai/responses")) {
            try (exchange) {
                json(exchange, 200, response(provider, "completed", COMPLETION_TEXT));
            }
            return;
        }
        if (path.endsWith("/embeddings") || (path.endsWith("/completions") && !path.endsWith("/chat/completions"))) {
            try (exchange) {
                json(exchange, 200, path.endsWith("/embeddings") ? embeddings(provider) : textCompletion(provider));
            }
            return;
        }
        // an Anthropic request that asks for thinking gets a stream of every event type Anthropic sends
        String streamFixture = "anthropic".equals(provider) && body.contains("\"thinking\":{") ? "/thinking.sse" : "/stream.sse";
        try (exchange; var in = UpstreamStub.class.getResourceAsStream("/fixtures/" + provider + (stream ? streamFixture : "/completion.json"))) {
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!stream) {
                json(exchange, 200, answer);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String event : answer.split("(?<=\n\n)")) {
                sendSplit(out, event);
                sleep(20);
            }
        }
    }

    /** Whether the request asks for a stream: its own top-level "stream", not a member of that name deeper inside. */
    private static boolean streamed(String body) {
        try {
            jakarta.json.JsonValue stream = dev.llmgateway.json.Json.parseObject(body).get("stream");
            return stream != null && stream.getValueType() == jakarta.json.JsonValue.ValueType.TRUE;
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** Two three-value vectors, whatever the input: what the test checks is what the gateway forwarded and returned. */
    static String embeddings(String model) {
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,-0.5,0.125]},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[1.0,0.0,0.0]}],\"model\":\"" + model + "-2024\","
                + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
    }

    private static String textCompletion(String model) {
        return "{\"id\":\"cmpl-stub-1\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\"" + model + "-2024\","
                + "\"choices\":[{\"text\":\"" + COMPLETION_TEXT + "\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10}}";
    }

    /** The Responses API's stored responses: any id is resp_stub_1, fetched, listed or deleted. */
    private void stored(HttpExchange exchange, String key) throws IOException {
        lastByModel.put(key, new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), System.nanoTime()));
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (!path.contains("resp_stub_1")) {
                json(exchange, 404, "{\"error\":{\"message\":\"No response found with id\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            } else if (exchange.getRequestMethod().equals("DELETE")) {
                json(exchange, 200, "{\"id\":\"resp_stub_1\",\"object\":\"response\",\"deleted\":true}");
            } else if (path.endsWith("/input_items")) {
                json(exchange, 200, "{\"object\":\"list\",\"data\":[{\"type\":\"message\",\"id\":\"msg_in_1\",\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"Say hi\"}]}],\"first_id\":\"msg_in_1\",\"last_id\":\"msg_in_1\",\"has_more\":false}");
            } else {
                json(exchange, 200, response("echo-model", "completed", COMPLETION_TEXT));
            }
        }
    }

    /** A Responses API response holding one message, with usage in the Responses API's names (cached and reasoning tokens too). */
    static String response(String model, String status, String text) {
        String content = text == null ? "[]" : "[{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}]";
        String usage = "completed".equals(status) ? "{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":6,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":18}" : "null";
        String output = text == null ? "[]" : "[{\"type\":\"message\",\"id\":\"msg_stub_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":" + content + "}]";
        return "{\"id\":\"resp_stub_1\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\"" + status + "\",\"error\":null,"
                + "\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},\"model\":\"" + model + "-2024\",\"output\":" + output + ","
                + "\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"usage\":" + usage + "}";
    }

    /** A Responses API stream as OpenAI sends it: named events, the text word by word, no [DONE]. */
    private void streamResponse(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int[] sequence = {0};
        java.util.function.BiFunction<String, String, String> event = (type, fields) -> "event: " + type + "\ndata: {\"type\":\"" + type
                + "\",\"sequence_number\":" + sequence[0]++ + "," + fields + "}\n\n";
        sendSplit(out, event.apply("response.created", "\"response\":" + response(model, "in_progress", null)));
        sendSplit(out, event.apply("response.in_progress", "\"response\":" + response(model, "in_progress", null)));
        sendSplit(out, event.apply("response.output_item.added", "\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_stub_1\","
                + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}"));
        for (String word : STREAMED_WORDS) {
            sleep(CHUNK_GAP_MS);
            sendSplit(out, event.apply("response.output_text.delta", "\"item_id\":\"msg_stub_1\",\"output_index\":0,\"content_index\":0,"
                    + "\"delta\":\"" + word + "\""));
        }
        sendSplit(out, event.apply("response.completed", "\"response\":" + response(model, "completed", String.join("", STREAMED_WORDS))));
        streamFinishedAt.put(model, System.nanoTime());
    }

    /** A legacy completion streamed word by word, as OpenAI streams {@code /v1/completions}. */
    private void streamText(HttpExchange exchange, String model, boolean includeUsage) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String envelope = "{\"id\":\"cmpl-stub-2\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\"" + model + "-2024\",";
        for (int i = 0; i < STREAMED_WORDS.size(); i++) {
            sleep(CHUNK_GAP_MS);
            String finish = i == STREAMED_WORDS.size() - 1 ? "\"stop\"" : "null";
            sendSplit(out, "data: " + envelope + "\"choices\":[{\"text\":\"" + STREAMED_WORDS.get(i) + "\",\"index\":0,\"logprobs\":null,\"finish_reason\":"
                    + finish + "}]}\n\n");
        }
        if (includeUsage) {
            sendSplit(out, "data: " + envelope + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}\n\n");
        }
        sendSplit(out, "data: [DONE]\n\n");
        streamFinishedAt.put(model, System.nanoTime());
    }

    private static String completion(String model) {
        return "{\"id\":\"chatcmpl-stub-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + model + "-2024\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + COMPLETION_TEXT + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":6,\"total_tokens\":17}}";
    }

    private static String chunk(String model, String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-stub-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model + "-2024\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    /** Each event is written in two pieces split mid-line, the pieces apart in time, to test the gateway's reassembly. */
    private void streamEcho(HttpExchange exchange, String model, boolean includeUsage) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        sendSplit(out, "data: " + chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null) + "\n\n");
        for (String word : STREAMED_WORDS) {
            sleep(CHUNK_GAP_MS);
            sendSplit(out, "data: " + chunk(model, "{\"content\":\"" + word + "\"}", null) + "\r\n\r\n");
        }
        sendSplit(out, "data: " + chunk(model, "{}", "stop") + "\n\n");
        if (includeUsage) {
            sendSplit(out, "data: {\"id\":\"chatcmpl-stub-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                    + model + "-2024\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}\n\n");
        }
        sendSplit(out, ": keep-alive comment\n\ndata: [DONE]\n\n");
        streamFinishedAt.put(model, System.nanoTime());
    }

    /** A whole answer, [DONE] included, whose body the upstream then keeps open for 10 s with a comment line every 100 ms. */
    private void heldOpenStream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        send(out, "data: " + chunk(model, "{\"role\":\"assistant\",\"content\":\"whole \"}", null) + "\n\n");
        send(out, "data: " + chunk(model, "{\"content\":\"answer\"}", "stop") + "\n\ndata: [DONE]\n\n");
        streamFinishedAt.put(model, System.nanoTime());
        try {
            for (int i = 0; i < 100; i++) {
                sleep(100);
                send(out, ":\n");
            }
        } catch (IOException gone) {
            streamAbortedAt.put(model, System.nanoTime());
        }
    }

    /** When the stub noticed that the gateway had gone away from its latest endless stream (System.nanoTime). */
    public Long streamAbortedAt(String model) {
        return streamAbortedAt.get(model);
    }

    /** A chunk every 100 ms for 30 s, unless the gateway hangs up first. */
    private void endlessStream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < 300; i++) {
                send(out, "data: " + chunk(model, "{\"content\":\"more \"}", null) + "\n\n");
                sleep(100);
            }
        } catch (IOException gone) {
            streamAbortedAt.put(model, System.nanoTime());
        }
    }

    private void breakMidStream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        send(out, "data: " + chunk(model, "{\"role\":\"assistant\",\"content\":\"partial \"}", null) + "\n\n");
        sleep(50);
        send(out, "data: " + chunk(model, "{\"content\":\"answer\"}", null) + "\n\n");
        // ends without a finish reason or [DONE]: the upstream gave up mid-answer
    }

    private void malformedStream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        send(out, "data: " + chunk(model, "{\"role\":\"assistant\",\"content\":\"partial \"}", null) + "\n\n");
        send(out, "data: {\"choices\":[{\"delta\":{\"content\":\n\n");
        send(out, "data: [DONE]\n\n");
    }

    private static void sendSplit(OutputStream out, String event) throws IOException {
        int cut = event.length() / 2;
        send(out, event.substring(0, cut));
        sleep(5);
        send(out, event.substring(cut));
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private boolean gathered() {
        try {
            allAtOnce.await(10, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | BrokenBarrierException e) {
            allAtOnce.reset();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
