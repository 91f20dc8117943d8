package dev.llmgateway.provider;

import com.sun.net.httpserver.HttpServer;
import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.ProviderType;
import dev.llmgateway.config.SecretText;
import dev.llmgateway.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An upstream that answers large, deep, malformed or with the gateway's own secrets: every such answer is the
 * provider's clean failure, charged to the memory budget as it is read, with no secret in any text.
 */
class HostileAnswersTest {

    private static final String KEY = "sk-fixture-key";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** status, content type, body */
    private final AtomicReference<Object[]> next = new AtomicReference<>();
    private HttpServer server;
    private UpstreamHttp http;
    private OpenAiProviderUnderTest provider;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Object[] answer = next.get();
            byte[] body = (byte[]) answer[2];
            exchange.getResponseHeaders().set("Content-Type", (String) answer[1]);
            // chunked: no Content-Length, so the gateway cannot size the answer before reading it
            exchange.sendResponseHeaders((int) answer[0], 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException clientGone) {
                // the gateway stopped reading: what it must do with an answer too large
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        http = new UpstreamHttp(TestProviders.settings("hostile", ProviderType.OPENAI, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", null),
                timers, UpstreamHeaders.NONE, SecretText.of(List.of(KEY)));
        provider = new OpenAiProviderUnderTest(http);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.stop(0);
        timers.shutdownNow();
    }

    private void answer(int status, String contentType, byte[] body) {
        next.set(new Object[] {status, contentType, body});
    }

    private void answer(int status, String body) {
        answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerPastTheCapIsTooLargeAndChargedNoMoreThanItRead() {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        answer(200, "application/json", new byte[65 * 1024 * 1024]);
        try (Reservation answers = budget.open()) {
            ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.chat(answers));
            assertThat(failure.reason()).isEqualTo(ProviderException.Reason.ANSWER_TOO_LARGE);
            assertThat(failure.reason().retryable()).isFalse();
            assertThat(budget.inUse()).as("charged as it was read, at most twice the cap").isBetween(64L << 20, 3L * (64 << 20));
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void anAnswerTheBudgetCannotHoldNowIsOverloadedAndOneItCouldNeverHoldIsTooLarge() {
        MemoryBudget budget = new MemoryBudget(8L << 20);
        answer(200, "application/json", ("{\"id\":\"x\",\"pad\":\"" + "a".repeat(3 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        try (Reservation other = budget.open(); Reservation answers = budget.open()) {
            other.take(6L << 20);
            ProviderException now = catchThrowableOfType(ProviderException.class, () -> provider.chat(answers));
            assertThat(now.reason()).isEqualTo(ProviderException.Reason.OVERLOADED);
        }
        answer(200, "application/json", ("{\"id\":\"x\",\"pad\":\"" + "a".repeat(9 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        try (Reservation answers = budget.open()) {
            ProviderException never = catchThrowableOfType(ProviderException.class, () -> provider.chat(answers));
            assertThat(never.reason()).isEqualTo(ProviderException.Reason.ANSWER_TOO_LARGE);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void manyLargeAnswersAtOnceNeverHoldMoreThanTheBudget() throws Exception {
        MemoryBudget budget = new MemoryBudget(40L << 20);
        byte[] large = ("{\"id\":\"x\",\"pad\":\"" + "a".repeat(6 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        answer(200, "application/json", large);
        var pool = Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
        long[] peak = {0};
        for (int i = 0; i < 16; i++) {
            outcomes.add(pool.submit(() -> {
                try (Reservation answers = budget.open()) {
                    provider.chat(answers);
                    synchronized (peak) {
                        peak[0] = Math.max(peak[0], budget.inUse());
                    }
                    return "answered";
                } catch (ProviderException e) {
                    return e.reason().name();
                }
            }));
        }
        List<String> seen = new java.util.ArrayList<>();
        for (var outcome : outcomes) {
            seen.add(outcome.get());
        }
        pool.shutdown();
        assertThat(seen).contains("answered").allMatch(s -> s.equals("answered") || s.equals("OVERLOADED"));
        assertThat(peak[0]).isLessThanOrEqualTo(40L << 20);
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void secretsInErrorBodiesOfEveryShapeAreMaskedAndTheRestPassesOn() {
        String base64 = Base64.getEncoder().encodeToString(("Bearer " + KEY).getBytes(StandardCharsets.UTF_8));
        for (int status : new int[] {400, 404, 409, 422, 500, 502, 503}) {
            for (String body : List.of(
                    "{\"error\":{\"message\":\"bad header Authorization: Bearer " + KEY + " (echoed)\",\"type\":\"invalid_request_error\"}}",
                    "{\"error\":{\"message\":\"echo " + KEY.replace("-", "\\u002d") + "\"}}",
                    "<html><body>Authorization: Bearer " + KEY + "</body></html>",
                    "plain text with url-encoded sk%2Dfixture%2Dkey and " + java.net.URLEncoder.encode(KEY, StandardCharsets.UTF_8),
                    "{\"error\":{\"message\":\"basic " + base64 + "\"}}",
                    "{\"error\":{\"message\":\"ok\",\"code\":\"" + KEY + "\"}}")) {
                answer(status, body.startsWith("<") ? "text/html" : "application/json", body.getBytes(StandardCharsets.UTF_8));
                ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.chat(null));
                String seen = failure.getMessage() + failure.upstreamError();
                assertThat(seen).as("status %d, body %s", status, body).doesNotContain(KEY).doesNotContain("fixture-key")
                        .doesNotContain(base64.substring(8, 24));
                assertThat(failure.getMessage()).contains("HTTP " + status);
            }
        }
        answer(400, "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"code\":\"too_large\"}}");
        ProviderException plain = catchThrowableOfType(ProviderException.class, () -> provider.chat(null));
        assertThat(plain.getMessage()).endsWith("max_tokens is too large");
        assertThat(plain.upstreamError().code()).isEqualTo("too_large");
    }

    @Test
    void aSecretIsMaskedBeforeTheExplanationIsCutAndInTheCausesAFailureRecords() {
        answer(400, "{\"error\":{\"message\":\"" + "x".repeat(280) + " sk\\u002dfixture\\u002dkey\"}}");
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.chat(null));
        assertThat(failure.getMessage()).doesNotContain("fixture").doesNotContain("sk-f");

        java.io.IOException quoted = new java.io.IOException("Invalid header: Authorization Bearer " + KEY,
                new java.io.IOException("line: " + KEY));
        assertThat(http.clean(quoted).toString()).doesNotContain(KEY).contains(SecretText.MASK);
        assertThat(http.clean(quoted).getCause()).isNull();
        java.io.IOException plain = new java.io.IOException("Connection reset");
        assertThat(http.clean(plain)).isSameAs(plain);
    }

    @Test
    void aWholeAnswerHoldsAboutItsOwnSizeAndOneOfSmallNumbersIsChargedForItsTree() throws Exception {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        byte[] text = ("{\"object\":\"list\",\"data\":[{\"embedding\":\"" + "A".repeat(3 << 20) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        answer(200, "application/json", text);
        try (Reservation answers = budget.open()) {
            byte[] read = http.readAll(http.exchange(http.post(java.net.URI.create(server(("/v1/embeddings"))), new byte[0])), 64 << 20,
                    answers.forAnswers());
            assertThat(read).isEqualTo(text);
            assertThat(budget.inUse()).as("a chunked answer read through doubling buffers").isBetween((long) text.length, text.length + 16L * 1024);
        }
        byte[] numbers = ("{\"id\":\"x\",\"choices\":[" + "0,".repeat(1 << 19) + "0]}").getBytes(StandardCharsets.UTF_8);
        answer(200, "application/json", numbers);
        try (Reservation answers = budget.open()) {
            catchThrowableOfType(ProviderException.class, () -> provider.chat(answers)); // not a completion: charged all the same
            assertThat(budget.inUse()).as("half a million values, 128 bytes each").isGreaterThanOrEqualTo((1L << 19) * 128);
        }
        assertThat(budget.inUse()).isZero();
    }

    private String server(String path) {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
    }

    @Test
    void aCompletionNestedPastTheParsersLimitIsAMalformedAnswerNotARuntimeException() {
        answer(200, "{\"id\":\"x\",\"choices\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.chat(null));
        assertThat(failure.reason()).isEqualTo(ProviderException.Reason.MALFORMED_RESPONSE);
        assertThat(failure.reason().retryable()).as("another provider may answer").isTrue();
    }

    @Test
    void streamEventsThatBreakTheFramingAreMalformedAndMultiLineDataIsSentOnOneLine() throws Exception {
        answer(200, "text/event-stream", ("data: {\"id\":\"a\",\"type\":\"response.output_text.delta\\nevent: forged\\ndata: {}\"}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        ProviderException forged = catchThrowableOfType(ProviderException.class, () -> {
            try (ChunkStream stream = provider.stream()) {
                stream.next();
            }
        });
        assertThat(forged.reason()).isEqualTo(ProviderException.Reason.MALFORMED_RESPONSE);

        answer(200, "text/event-stream", ("data: {\"id\":\"a\",\ndata: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + KEY + "\"}}]}\n\n"
                + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        try (ChunkStream stream = provider.stream()) {
            Chunk chunk = stream.next();
            assertThat(chunk.data()).doesNotContain("\n").doesNotContain(KEY).contains(SecretText.MASK);
            assertThat(Json.parseObject(chunk.data()).getString("id")).isEqualTo("a");
        }

        answer(200, "text/event-stream", ("data: {\"id\":\"a\",\"choices\":" + "[".repeat(3000) + "]".repeat(3000) + "}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        ProviderException deep = catchThrowableOfType(ProviderException.class, () -> {
            try (ChunkStream stream = provider.stream()) {
                stream.next();
            }
        });
        assertThat(deep.reason()).isEqualTo(ProviderException.Reason.MALFORMED_RESPONSE);
    }

    @Test
    void anEventOfSmallNumbersIsChargedForItsTreeBeforeItIsBuilt() throws Exception {
        MemoryBudget budget = new MemoryBudget(32L << 20);
        answer(200, "text/event-stream", ("data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"pad\":["
                + "0,".repeat(1 << 19) + "0]}\n\n").getBytes(StandardCharsets.UTF_8));
        try (Reservation answers = budget.open(); ChunkStream stream = provider.stream(answers)) {
            ProviderException refused = catchThrowableOfType(ProviderException.class, stream::next);
            assertThat(refused.reason()).as("64 MiB of tree for a 1 MiB event: more than this budget ever holds")
                    .isEqualTo(ProviderException.Reason.ANSWER_TOO_LARGE);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aStreamsLargestEventIsChargedOnceAndSmallEventsCostNothing() throws Exception {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            events.append("data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}\n\n");
        }
        events.append("data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append("b".repeat(1 << 20)).append("\"}}]}\n\n");
        events.append("data: [DONE]\n\n");
        answer(200, "text/event-stream", events.toString().getBytes(StandardCharsets.UTF_8));
        try (Reservation answers = budget.open(); ChunkStream stream = provider.stream(answers)) {
            for (int i = 0; i < 500; i++) {
                stream.next();
            }
            assertThat(budget.inUse()).as("ordinary chunks").isZero();
            stream.next();
            assertThat(budget.inUse()).as("the one large event").isBetween(1L << 20, 12L << 20);
        }
        assertThat(budget.inUse()).isZero();
    }

    /** The OpenAI-compatible provider over the hostile upstream. */
    private static final class OpenAiProviderUnderTest {

        private final Provider provider;

        OpenAiProviderUnderTest(UpstreamHttp http) {
            this.provider = dev.llmgateway.provider.openai.OpenAiProvider.compatible(http);
        }

        Completion chat(Reservation answers) throws ProviderException {
            return provider.complete(request(false, answers));
        }

        ChunkStream stream() throws ProviderException {
            return stream(null);
        }

        ChunkStream stream(Reservation answers) throws ProviderException {
            return provider.stream(request(true, answers));
        }

        private static ProviderRequest request(boolean stream, Reservation answers) {
            return new ProviderRequest(Operation.CHAT, Json.parseObject("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "m", stream,
                    answers == null ? AnswerMemory.UNCOUNTED : answers.forAnswers());
        }
    }
}
