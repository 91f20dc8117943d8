package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI Java SDK, unchanged, against the gateway: whole and streamed answers, dummy and upstream. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatCompletionsIT {

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withStubProviders();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(RawHttp.uri(base, "/v1").toString())
                .apiKey("sk-client-key-never-forwarded")
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String text) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(text);
    }

    @Test
    void dummyEchoesTheLastUserMessageWithUsage() {
        ChatCompletion completion = client().chat().completions().create(
                ask("dummy", "the quick brown fox").addSystemMessage("be brief").build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("the quick brown fox");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(6);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    }

    @Test
    void dummyStreamsWordByWordAndHidesUsageUnlessAsked() {
        List<ChatCompletionChunk> chunks = collect(ask("dummy", "one two three four").build());

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("one two three four");
        assertThat(chunks.stream().filter(c -> c.choices().stream().anyMatch(ch -> ch.delta().content().filter(s -> !s.isEmpty()).isPresent())))
                .hasSize(4);
        assertThat(chunks).noneMatch(c -> c.usage().isPresent());
    }

    @Test
    void streamCarriesUsageWhenTheClientAsksForIt() {
        List<ChatCompletionChunk> chunks = collect(ask("dummy", "count these words")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
    }

    @Test
    void forwardsTheRequestWithTheProviderKeyInsteadOfTheClients() {
        ChatCompletion completion = client().chat().completions().create(ask("echo-model", "Say hi")
                .temperature(0.25).maxCompletionTokens(42L).seed(7L).user("tester").build());

        assertThat(completion.choices().get(0).message().content()).contains(UpstreamStub.COMPLETION_TEXT);
        assertThat(completion.model()).isEqualTo("echo-model-2024");
        UpstreamStub.Received received = UpstreamStub.shared().last("echo-model");
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + GatewayDeployment.PROVIDER_KEY);
        assertThat(received.header("X-Team")).isEqualTo("gateway-tests");
        assertThat(received.body())
                .contains("\"model\":\"echo-model\"")
                .contains("\"temperature\":0.25")
                .contains("\"max_completion_tokens\":42")
                .contains("\"seed\":7")
                .contains("\"user\":\"tester\"")
                .contains("\"role\":\"user\"")
                .contains("Say hi")
                .doesNotContain("sk-client-key");
    }

    @Test
    void sendsTheProvidersOwnModelNameWhenConfigured() {
        client().chat().completions().create(ask("renamed", "hello").build());

        assertThat(UpstreamStub.shared().last("echo-model").body()).contains("\"model\":\"echo-model\"");
    }

    @Test
    void streamsFromADelayedUpstreamChunkByChunk() {
        long firstChunkAt = 0;
        long firstContentAt = 0;
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(ask("echo-model", "stream please").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                if (firstChunkAt == 0) {
                    firstChunkAt = System.nanoTime();
                }
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    String content = choice.delta().content().orElse("");
                    if (!content.isEmpty()) {
                        if (firstContentAt == 0) {
                            firstContentAt = System.nanoTime();
                        }
                        pieces.add(content);
                    }
                }
                assertThat(chunk.usage()).isEmpty();
            }
        }

        assertThat(pieces).containsExactlyElementsOf(UpstreamStub.STREAMED_WORDS);
        Long upstreamFinished = UpstreamStub.shared().streamFinishedAt("echo-model");
        // the first word left the gateway while the upstream still had four more to send, 150 ms apart
        assertThat(firstContentAt).isLessThan(upstreamFinished - 3 * UpstreamStub.CHUNK_GAP_MS * 1_000_000);
        // the role chunk, sent at once, came before the first word, sent a gap later: not held back for the next flush
        assertThat(firstContentAt - firstChunkAt).isGreaterThan(UpstreamStub.CHUNK_GAP_MS / 2 * 1_000_000);
        assertThat(UpstreamStub.shared().last("echo-model").body().replace(" ", ""))
                .contains("\"stream\":true").contains("\"include_usage\":true");
    }

    @Test
    void streamedUpstreamUsageReachesClientsThatAsk() {
        List<ChatCompletionChunk> chunks = collect(ask("echo-model", "usage please")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().totalTokens()).isEqualTo(14);
    }

    @Test
    void listsTheModelsItServesWithoutSecrets() {
        HttpResponse<String> response = RawHttp.get(base, "/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"object\":\"list\"").contains("\"id\":\"dummy\"").contains("\"id\":\"echo-model\"")
                .doesNotContain(GatewayDeployment.PROVIDER_KEY).doesNotContain("127.0.0.1");
        assertThat(client().models().list().data()).extracting(m -> m.id()).contains("dummy", "renamed", "echo-model");
        assertThat(client().models().retrieve("renamed").id()).isEqualTo("renamed");
    }

    @Test
    void reportsHealth() {
        HttpResponse<String> response = RawHttp.get(base, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("llm-gateway");
    }

    @Test
    void aSampleRateOfZeroExportsNothingWhileRequestsSucceed() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            assertThat(client().chat().completions().create(ask("dummy", "not traced").build()).choices()).hasSize(1);
        }
        Thread.sleep(1_500);

        assertThat(OtlpReceiver.shared().spans())
                .noneMatch(s -> GatewayDeployment.SAMPLED_OUT_SERVICE.equals(s.resourceAttribute("service.name")));
    }

    private List<ChatCompletionChunk> collect(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(params)) {
            return stream.stream().collect(Collectors.toList());
        }
    }

    @Test
    void holdsAHundredUpstreamCallsInFlightAtOnce() {
        // a model answers in seconds and its call holds a request thread all along: the runtime must run many at once
        String body = "{\"model\":\"all-at-once\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < UpstreamStub.ALL_AT_ONCE; i++) {
            calls.add(RawHttp.postAsync(base, "/v1/chat/completions", body));
        }

        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).hasSize(UpstreamStub.ALL_AT_ONCE).containsOnly(200);
    }

    /**
     * Calls answered the moment their thread runs (a body refused as it is read), thousands of times over a few
     * connections, while the container's request thread may still be leaving the request it made asynchronous: every
     * one gets its answer, and the container logs no failure of its own.
     */
    @Test
    void callsAnsweredAtOnceFromTheirThreadAreNeverDropped() throws Exception {
        long containerFailuresBefore = ServerLog.lines().stream().filter(l -> l.contains("AS-WEB-CORE-00037") || l.contains("getHttpStatus()")).count();
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.Map<Integer, java.util.concurrent.atomic.AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            runs.add(senders.submit(() -> {
                for (int i = 0; i < 1_500; i++) {
                    String body = (i + thread) % 3 == 0 ? "{" : (i + thread) % 3 == 1 ? "{\"model\":\"dummy\"}" : "[]";
                    int status;
                    try {
                        HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                                .header("Content-Type", "application/json").timeout(java.time.Duration.ofSeconds(60))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        status = answer.statusCode();
                        if (status != 400 && unexpected.size() < 5) {
                            unexpected.add(body + " → " + status + " " + answer.headers().map() + " " + answer.body());
                        }
                    } catch (java.net.http.HttpTimeoutException lost) {
                        status = -1; // no answer within a minute: lost
                    } catch (java.io.IOException dropped) {
                        status = 0;
                    }
                    statuses.computeIfAbsent(status, s -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                }
                return null;
            }));
        }
        for (var run : runs) {
            run.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }
        senders.shutdown();
        long containerFailures = ServerLog.lines().stream().filter(l -> l.contains("AS-WEB-CORE-00037") || l.contains("getHttpStatus()")).count();
        System.out.println("12,000 calls answered at once from their thread: " + statuses + "; container failures logged: "
                + (containerFailures - containerFailuresBefore) + (unexpected.isEmpty() ? "" : "; unexpected answers: " + unexpected));
        assertThat(statuses.keySet()).as("every call answered 400").containsOnly(400);
        assertThat(containerFailures).isEqualTo(containerFailuresBefore);
    }
}
