package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The inference chain: fallback across failing providers, retries, functions and variants, Anthropic and Azure. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoutingIT {

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withRouting();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey("client-key").maxRetries(0).build();
    }

    @Test
    void fallsBackPastA500ATimeoutARefusedConnectionAndA429() {
        HttpResponse<String> response = chat("{\"model\":\"resilient\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(UpstreamStub.COMPLETION_TEXT);
        assertThat(response.headers().firstValue("X-Gateway-Provider")).contains("p-ok");
        assertThat(response.headers().firstValue("X-Gateway-Model")).contains("resilient");
        assertThat(response.headers().firstValue("X-Gateway-Attempts")).contains("5");
        assertThat(response.headers().firstValue("X-Gateway-Inference-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void aStreamFallsBackTooUntilItsFirstChunk() {
        HttpResponse<String> response = chat("{\"model\":\"resilient\",\"stream\":true," + HI + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Provider")).contains("p-ok");
        assertThat(response.body()).contains("Streaming ").endsWith("data: [DONE]\n\n");
    }

    @Test
    void whenEveryProviderFailsTheErrorNamesEachFailure() {
        HttpResponse<String> response = chat("{\"model\":\"doomed\"," + HI + "}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("All 2 providers of model 'doomed' failed")
                .contains("'p-500' answered HTTP 500").contains("'p-refused'").contains("\"type\":\"api_error\"");
        assertThat(response.headers().firstValue("X-Gateway-Inference-Id")).isPresent();
    }

    @Test
    void aRequestTheUpstreamRefusesIsNotRetriedElsewhere() {
        HttpResponse<String> response = chat("{\"model\":\"picky\"," + HI + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("max_tokens is too large").doesNotContain("All 2");
    }

    @Test
    void retriesAFlakyProviderWithBackoff() {
        HttpResponse<String> response = chat("{\"model\":\"flaky\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Attempts")).contains("3");
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() {
        long started = System.nanoTime();
        HttpResponse<String> response = chat("{\"model\":\"patient\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Attempts")).contains("2");
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void choosesVariantsByWeight() {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> response = chat("{\"model\":\"function::summarize\"," + HI + "}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Gateway-Function")).contains("summarize");
            picks.merge(response.headers().firstValue("X-Gateway-Variant").orElseThrow(), 1, Integer::sum);
        }
        // weights 3:1 → 300 expected; the binomial standard deviation is 8.7, this allows five of them
        assertThat(picks.get("a")).isBetween(256, 344);
        assertThat(picks.get("a") + picks.get("b")).isEqualTo(400);
    }

    @Test
    void aClientCanPinAVariantByHeaderOrBody() {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> byHeader = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                    .header("Content-Type", "application/json").header("X-Gateway-Variant", "b")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"function::summarize\"," + HI + "}")));
            assertThat(byHeader.headers().firstValue("X-Gateway-Variant")).contains("b");
        }
        HttpResponse<String> byBody = chat("{\"model\":\"function::summarize\",\"gateway::variant\":\"b\"," + HI + "}");
        assertThat(byBody.headers().firstValue("X-Gateway-Variant")).contains("b");

        HttpResponse<String> unknown = chat("{\"model\":\"function::summarize\",\"gateway::variant\":\"zzz\"," + HI + "}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("model_not_found").contains("'zzz'");
        assertThat(chat("{\"model\":\"function::nothing\"," + HI + "}").statusCode()).isEqualTo(404);
    }

    @Test
    void theSdkCallsAFunctionWhoseVariantRendersItsPromptAndDefaults() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("function::explain").addUserMessage("What is a monad?")
                .putAdditionalBodyProperty("gateway::variables", JsonValue.from(Map.of("topic", "monads", "audience", "child")))
                .build());

        assertThat(completion.choices().get(0).message().content()).contains(UpstreamStub.COMPLETION_TEXT);
        String forwarded = UpstreamStub.shared().last("echo-model").body();
        assertThat(forwarded).contains("{\"role\":\"system\",\"content\":\"Explain monads to a child.\"}")
                .contains("\"temperature\":0.3").contains("What is a monad?").doesNotContain("gateway::");
    }

    @Test
    void theSdkTalksToAnAnthropicModelUnchanged() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addSystemMessage("Answer in one sentence.").addUserMessage("What is the capital of France?")
                .maxCompletionTokens(64L).build());

        assertThat(completion.choices().get(0).message().content()).contains("The capital of France is Paris.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(25);
        UpstreamStub.Received sent = UpstreamStub.shared().last("anthropic");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.body()).contains("\"system\":[{\"type\":\"text\",\"text\":\"Answer in one sentence.\"}]")
                .contains("\"model\":\"claude-sonnet-4-5\"").contains("\"max_tokens\":64");

        List<ChatCompletionChunk> chunks = stream("claude");
        assertThat(text(chunks)).isEqualTo("The capital of France is Paris.");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(8);
    }

    @Test
    void anAnthropicModelAcceptsTheDefaultsSdksSendAndRefusesWhatItCannotCarryNamingIt() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("What is the capital of France?").logprobs(false).frequencyPenalty(0.0)
                .presencePenalty(0.0).n(1L).build());
        assertThat(completion.choices().get(0).message().content().orElseThrow()).contains("Paris");

        BadRequestException refused = catchThrowableOfType(BadRequestException.class, () -> client().chat().completions().create(
                ChatCompletionCreateParams.builder().model("claude").addUserMessage("hi").n(2L).build()));
        assertThat(refused.param()).contains("n");
        HttpResponse<String> arguments = RawHttp.post(base, "/v1/chat/completions", "{\"model\":\"claude\",\"messages\":[{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"city\":\"Paris\"}}}]}]}");
        assertThat(arguments.statusCode()).isEqualTo(400);
        assertThat(arguments.body()).contains("\"param\":\"messages[0].tool_calls[0].function.arguments\"");
    }

    @Test
    void theSdkTalksToAnAzureDeploymentUnchanged() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("azure-gpt").addUserMessage("What is the capital of France?").build());

        assertThat(completion.choices().get(0).message().content()).contains("The capital of France is Paris.");
        UpstreamStub.Received sent = UpstreamStub.shared().last("azure");
        assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
        assertThat(sent.header("api-key")).isEqualTo("azure-test-key");
        assertThat(sent.header("Authorization")).isNull();

        assertThat(text(stream("azure-gpt"))).isEqualTo("The capital of France is Paris.");
    }

    @Test
    void listsFunctionsBesideModels() {
        assertThat(client().models().list().data()).extracting(m -> m.id())
                .contains("function::summarize", "function::explain", "resilient", "claude");
    }

    /** A listener that sleeps 3 s on each inference and throws on each attempt ({@link SlowListener}), for one model. */
    @Test
    void aListenerThatSleepsOrThrowsNeitherDelaysNorFailsTheCall() {
        Scrape before = scrape();
        OpenAIClient client = client();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(SlowListener.MODEL).addUserMessage("hi").build();
        long start = System.nanoTime();
        // three calls on one client, so on one pooled connection: a listener holding the exchange would hold the next call
        assertThat(client.chat().completions().create(params).choices()).isNotEmpty();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            assertThat(stream.stream().count()).isPositive();
        }
        assertThat(client.chat().completions().create(params).choices()).isNotEmpty();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("three calls, each heard by a listener that sleeps %d ms", SlowListener.SLEEP_MS).isLessThan(SlowListener.SLEEP_MS);

        // every attempt's failure is counted as the gateway's own, and the listeners after it still heard the calls
        Scrape after = Scrape.afterRequests(base, before, 3);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while ((delta(before, after, "gateway_unexpected_failures_total", "kind=\"ListenerFailure\"") < 3
                || delta(before, after, "gateway_inferences_total", "model=\"" + SlowListener.MODEL + "\"") < 3) && System.nanoTime() < deadline) {
            sleep(50);
            after = scrape();
        }
        assertThat(delta(before, after, "gateway_unexpected_failures_total", "kind=\"ListenerFailure\"")).isEqualTo(3);
        assertThat(delta(before, after, "gateway_inferences_total", "model=\"" + SlowListener.MODEL + "\"", "outcome=\"success\"")).isEqualTo(3);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "provider=\"p-ok\"", "outcome=\"success\"")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void metricsMoveByTheTrafficSentAndPassPromtool() throws Exception {
        Scrape before = Scrape.settled(base);
        for (int i = 0; i < 3; i++) {
            assertThat(chat("{\"model\":\"function::summarize\"," + HI + "}").statusCode()).isEqualTo(200);
        }
        assertThat(chat("{\"model\":\"resilient\"," + HI + "}").statusCode()).isEqualTo(200);
        assertThat(chat("{\"model\":\"doomed\"," + HI + "}").statusCode()).isEqualTo(502);
        assertThat(chat("{\"model\":\"no-such-model-xyz\"," + HI + "}").statusCode()).isEqualTo(404);
        assertThat(chat("{\"model\":\"echo\",\"stream\":true," + HI + "}").body()).endsWith("data: [DONE]\n\n");
        Scrape after = Scrape.afterRequests(base, before, 7);
        // the count of this endpoint's requests, not any endpoint's: each one counted with its overhead
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (delta(before, after, "gateway_overhead_seconds_count", "endpoint=\"chat_completions\"") < 7 && System.nanoTime() < deadline) {
            sleep(50);
            after = scrape();
        }

        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"chat_completions\"", "status_class=\"2xx\"")).isEqualTo(5);
        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"chat_completions\"", "status_class=\"4xx\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"chat_completions\"", "status_class=\"5xx\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_overhead_seconds_count", "endpoint=\"chat_completions\"")).isEqualTo(7);
        assertThat(delta(before, after, "gateway_inferences_total", "function=\"summarize\"", "outcome=\"success\"")).isEqualTo(3);
        assertThat(delta(before, after, "gateway_inferences_total", "model=\"resilient\"", "provider=\"p-ok\"", "outcome=\"success\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_inferences_total", "model=\"doomed\"", "outcome=\"error\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_fallbacks_total", "model=\"resilient\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "provider=\"p-500\"", "outcome=\"server_error\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "provider=\"p-slow\"", "outcome=\"timeout\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "provider=\"p-refused\"", "outcome=\"connection\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "provider=\"p-429\"", "outcome=\"rate_limited\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_tokens_total", "model=\"echo\"", "provider=\"p-ok\"", "token_type=\"output\"")).isEqualTo(5);
        assertThat(delta(before, after, "gateway_time_to_first_chunk_seconds_count", "provider=\"p-ok\"")).isEqualTo(1);
        assertThat(after.sum("gateway_active_streams")).isZero();
        assertThat(after.text()).doesNotContain("no-such-model-xyz");

        String problems = after.promtoolProblems();
        Assumptions.assumeTrue(problems != null, "promtool is not installed here (.ci/run installs it)");
        assertThat(problems).as("promtool check metrics").isEmpty();
    }

    @Test
    void metricsSpeakOpenMetricsWhenAskedAndMakeNoTrace() {
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("# TYPE gateway_requests counter").endsWith("# EOF\n");
        assertThat(RawHttp.get(base, "/gateway/metrics").body()).contains("# TYPE gateway_requests_total counter");
    }

    private Scrape scrape() {
        HttpResponse<String> response = RawHttp.get(base, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return new Scrape(response.body());
    }

    private static double delta(Scrape before, Scrape after, String metric, String... labels) {
        return after.sum(metric, labels) - before.sum(metric, labels);
    }

    private List<ChatCompletionChunk> stream(String model) {
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model(model).addUserMessage("What is the capital of France?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            return stream.stream().collect(Collectors.toList());
        }
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
    }

    private HttpResponse<String> chat(String body) {
        return RawHttp.post(base, "/v1/chat/completions", body);
    }

    @Test
    void withTracingOffTheLogRecordsLeaveAndNoSpanDoes() {
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("gateway-otlp-traces-extra-header-x-tenant", "t1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\"," + HI + "}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String inferenceId = response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();

        OtlpReceiver receiver = OtlpReceiver.shared();
        OtlpReceiver.ReceivedLog record = receiver.awaitLog(r -> inferenceId.equals(r.string("gateway.inference_id")), java.time.Duration.ofSeconds(20));
        assertThat(record.service()).isEqualTo(GatewayDeployment.ROUTING_SERVICE);
        assertThat(record.string("gateway.outcome")).isEqualTo("success");
        // spans would have left within the SDK's batch delay had any been sampled
        OtlpReceiver.sleep(1_000);
        assertThat(receiver.spans()).noneMatch(s -> s.traceId().equals(record.traceId()) || GatewayDeployment.ROUTING_SERVICE.equals(s.resourceAttribute("service.name")));
    }

    @Test
    void withTracingOffExportHeadersAreCheckedThenIgnored() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder().model("dummy")
                .addUserMessage("hi").putAdditionalHeader("tensorzero-otlp-traces-extra-header-my-first-header", "my-first-value")
                .putAdditionalHeader("gateway-otlp-traces-extra-attribute-user.id", "\"user-123\"").build());
        assertThat(completion.choices()).hasSize(1);

        HttpResponse<String> refused = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("gateway-otlp-traces-extra-header-content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\"," + HI + "}")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"code\":\"invalid_export_header\"");
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
