package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code /v1/embeddings}, {@code /v1/completions} and {@code /v1/responses} through the official OpenAI Java SDK,
 * unchanged: the dummy, an OpenAI-compatible upstream, an Azure deployment and (for responses) Anthropic, fallback,
 * functions, refusals, and the metrics they move.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EndpointsIT {

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withRouting();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey("sk-client-key").maxRetries(0).build();
    }

    @Test
    void theDummyEmbedsTheSameTextAsTheSameVectorOfTheAskedDimensions() {
        CreateEmbeddingResponse first = client().embeddings().create(EmbeddingCreateParams.builder().model("dummy")
                .inputOfArrayOfStrings(List.of("the cat sat", "a dog ran", "the cat sat")).build());
        assertThat(first.data()).hasSize(3);
        assertThat(first.data().get(0).embedding()).hasSize(1536).isEqualTo(first.data().get(2).embedding())
                .isNotEqualTo(first.data().get(1).embedding());
        assertThat(first.usage().promptTokens()).isEqualTo(9);
        assertThat(first.model()).isEqualTo("dummy");

        CreateEmbeddingResponse again = client().embeddings().create(EmbeddingCreateParams.builder().model("dummy")
                .input("the cat sat").dimensions(1536).build());
        assertThat(again.data().get(0).embedding()).isEqualTo(first.data().get(0).embedding());

        for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.FLOAT, EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse small = client().embeddings().create(EmbeddingCreateParams.builder().model("dummy")
                    .inputOfArrayOfTokens(List.of(101L, 2023L, 102L)).dimensions(8).encodingFormat(format).build());
            assertThat(small.data().get(0).embedding()).as(format.toString()).hasSize(8);
        }
    }

    @Test
    void embeddingsReachAnOpenAiCompatibleUpstreamAsItExpectsThem() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/embeddings",
                "{\"model\":\"echo\",\"input\":[\"first\",\"second\"],\"dimensions\":3,\"encoding_format\":\"float\",\"user\":\"u-1\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("[0.25,-0.5,0.125]").contains("\"model\":\"echo-model-2024\"");
        assertThat(response.headers().firstValue("X-Gateway-Provider")).contains("p-ok");
        assertThat(response.headers().firstValue("X-Gateway-Inference-Id")).isPresent();
        UpstreamStub.Received sent = UpstreamStub.shared().last("echo-model");
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.header("Authorization")).as("p-ok has no key of its own; the client's is never forwarded").isNull();
        assertThat(sent.body()).contains("\"input\":[\"first\",\"second\"]").contains("\"dimensions\":3").contains("\"user\":\"u-1\"")
                .contains("\"model\":\"echo-model\"").doesNotContain("stream").doesNotContain("sk-client-key");

        CreateEmbeddingResponse viaSdk = client().embeddings().create(EmbeddingCreateParams.builder().model("echo").input("hello").build());
        assertThat(viaSdk.data().get(0).embedding()).containsExactly(0.25f, -0.5f, 0.125f);
    }

    @Test
    void embeddingsFallBackPastFailingProvidersLikeChat() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/embeddings", "{\"model\":\"resilient\",\"input\":\"x\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Provider")).contains("p-ok");
        assertThat(response.headers().firstValue("X-Gateway-Attempts")).contains("5");
        assertThat(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"doomed\",\"input\":\"x\"}").statusCode()).isEqualTo(502);
    }

    @Test
    void anAzureDeploymentServesEmbeddingsAndCompletionsAtItsOwnUrls() {
        CreateEmbeddingResponse embedded = client().embeddings().create(EmbeddingCreateParams.builder().model("azure-gpt").input("hi").build());
        assertThat(embedded.data()).hasSize(2);
        UpstreamStub.Received sent = UpstreamStub.shared().last("azure");
        assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o-mini/embeddings?api-version=2024-10-21");
        assertThat(sent.header("api-key")).isEqualTo("azure-test-key");

        Completion completion = client().completions().create(CompletionCreateParams.builder().model("azure-gpt").prompt("Say").build());
        assertThat(completion.choices().get(0).text()).isEqualTo(UpstreamStub.COMPLETION_TEXT);
        assertThat(UpstreamStub.shared().last("azure").path()).isEqualTo("/openai/deployments/gpt-4o-mini/completions?api-version=2024-10-21");
    }

    @Test
    void aModelWhoseProvidersCannotEmbedAndAFunctionAreRefusedNamingTheModel() {
        BadRequestException anthropic = catchThrowableOfType(BadRequestException.class,
                () -> client().embeddings().create(EmbeddingCreateParams.builder().model("claude").input("hi").build()));
        assertThat(anthropic.param()).contains("model");
        assertThat(anthropic.getMessage()).contains("claude").contains("embeddings");

        HttpResponse<String> function = RawHttp.post(base, "/v1/completions", "{\"model\":\"function::summarize\",\"prompt\":\"hi\"}");
        assertThat(function.statusCode()).isEqualTo(400);
        assertThat(function.body()).contains("\"param\":\"model\"").contains("summarize");

        HttpResponse<String> shape = RawHttp.post(base, "/v1/embeddings", "{\"model\":\"dummy\",\"input\":[\"ok\",7]}");
        assertThat(shape.statusCode()).isEqualTo(400);
        assertThat(shape.body()).contains("\"param\":\"input[1]\"");
        assertThat(RawHttp.get(base, "/v1/embeddings").statusCode()).isEqualTo(405);
    }

    @Test
    void legacyCompletionsWholeAndStreamedFromTheDummy() {
        Completion whole = client().completions().create(CompletionCreateParams.builder().model("dummy").prompt("one two three").maxTokens(2L).build());
        assertThat(whole.choices().get(0).text()).isEqualTo("one two");
        assertThat(whole.choices().get(0).finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
        assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(2);

        List<Completion> chunks = stream("dummy", "one two three four");
        assertThat(text(chunks)).isEqualTo("one two three four");
        assertThat(chunks).noneMatch(c -> c.usage().isPresent());
    }

    @Test
    void legacyCompletionsStreamFromAnUpstreamChunkByChunk() {
        List<Completion> chunks = stream("echo", "Say hi");

        assertThat(text(chunks)).isEqualTo(String.join("", UpstreamStub.STREAMED_WORDS));
        assertThat(chunks.stream().filter(c -> !c.choices().isEmpty())).hasSize(UpstreamStub.STREAMED_WORDS.size());
        UpstreamStub.Received sent = UpstreamStub.shared().last("echo-model");
        assertThat(sent.path()).isEqualTo("/v1/completions");
        // the gateway learns the usage of every stream, and the client that did not ask does not see it
        assertThat(sent.body().replace(" ", "")).contains("\"include_usage\":true").contains("\"prompt\":\"Sayhi\"");
        assertThat(chunks).noneMatch(c -> c.usage().isPresent());

        HttpResponse<String> raw = RawHttp.post(base, "/v1/completions", "{\"model\":\"echo\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(raw.body()).contains("\"usage\":{\"prompt_tokens\":3").endsWith("data: [DONE]\n\n");
    }

    @Test
    void metricsCountEachOperationOnItsOwn() {
        Scrape before = scrape();
        assertThat(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"echo\",\"input\":\"x\"}").statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"dummy\",\"input\":\"a b c\"}").statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(base, "/v1/completions", "{\"model\":\"echo\",\"prompt\":\"x\"}").statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(base, "/v1/completions", "{\"model\":\"echo\",\"prompt\":\"x\",\"stream\":true}").statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"claude\",\"input\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(RawHttp.post(base, "/v1/responses", "{\"model\":\"echo\",\"input\":\"x\"}").statusCode()).isEqualTo(200);
        Scrape after = Scrape.afterRequests(base, before, 6);

        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"embeddings\"", "status_class=\"2xx\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"embeddings\"", "status_class=\"4xx\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"completions\"", "status_class=\"2xx\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_requests_total", "endpoint=\"responses\"", "status_class=\"2xx\"")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_inferences_total", "operation=\"embeddings\"", "outcome=\"success\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_inferences_total", "operation=\"text_completion\"", "model=\"echo\"", "outcome=\"success\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_tokens_total", "operation=\"embeddings\"", "model=\"echo\"", "token_type=\"input\"")).isEqualTo(8);
        assertThat(delta(before, after, "gateway_tokens_total", "operation=\"embeddings\"", "model=\"dummy\"", "token_type=\"input\"")).isEqualTo(3);
        assertThat(delta(before, after, "gateway_provider_attempts_total", "operation=\"text_completion\"", "provider=\"p-ok\"", "outcome=\"success\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_time_to_first_chunk_seconds_count", "operation=\"text_completion\"", "provider=\"p-ok\"")).isEqualTo(1);
        assertThat(after.sum("gateway_active_streams")).isZero();
    }

    @Test
    void theDummyAnswersTheResponsesApiWholeAndStreamedInOpenAisEventOrder() {
        Response whole = client().responses().create(ResponseCreateParams.builder().model("dummy").instructions("Be brief.")
                .input("one two three").maxOutputTokens(16L).build());
        assertThat(text(whole)).isEqualTo("one two three");
        assertThat(whole.status()).contains(ResponseStatus.COMPLETED);
        assertThat(whole.id()).startsWith("resp_");
        assertThat(whole.usage().orElseThrow().outputTokens()).isEqualTo(3);

        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder().model("dummy")
                .input("four five six").build())) {
            events = stream.stream().collect(Collectors.toList());
        }
        assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta()).collect(Collectors.joining()))
                .isEqualTo("four five six");
        Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(text(completed)).isEqualTo("four five six");
        assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(3);

        HttpResponse<String> raw = RawHttp.post(base, "/v1/responses", "{\"model\":\"dummy\",\"input\":\"a b\",\"stream\":true}");
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(eventTypes(raw.body())).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(raw.body()).doesNotContain("[DONE]");
    }

    @Test
    void responsesPassThroughToAnOpenAiCompatibleUpstreamAsTheyCame() {
        // a previous response is continued only when this gateway made it for the calling key
        client().responses().create(ResponseCreateParams.builder().model("echo").input("Earlier").store(true).build());
        Response whole = client().responses().create(ResponseCreateParams.builder().model("echo").input("Say hi")
                .previousResponseId("resp_stub_1").store(true).build());
        assertThat(text(whole)).isEqualTo(UpstreamStub.COMPLETION_TEXT);
        assertThat(whole.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(4);
        UpstreamStub.Received sent = UpstreamStub.shared().last("echo-model");
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.body()).contains("\"previous_response_id\":\"resp_stub_1\"").contains("\"store\":true")
                .contains("\"model\":\"echo-model\"").doesNotContain("stream_options");

        HttpResponse<String> streamed = RawHttp.post(base, "/v1/responses", "{\"model\":\"echo\",\"input\":\"x\",\"stream\":true}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(eventTypes(streamed.body())).startsWith("response.created", "response.in_progress").endsWith("response.completed")
                .filteredOn("response.output_text.delta"::equals).hasSize(UpstreamStub.STREAMED_WORDS.size());
        assertThat(UpstreamStub.shared().last("echo-model").body()).doesNotContain("stream_options");

        Response azure = client().responses().create(ResponseCreateParams.builder().model("azure-gpt").input("hi").build());
        assertThat(text(azure)).isEqualTo(UpstreamStub.COMPLETION_TEXT);
        assertThat(UpstreamStub.shared().last("azure").path()).isEqualTo("/openai/responses?api-version=2024-10-21");
        assertThat(UpstreamStub.shared().last("azure").body()).contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void storedResponsesAreFetchedListedAndDeletedWhereTheProviderKeepsThem() {
        Response made = client().responses().create(ResponseCreateParams.builder().model("echo").input("Say hi").store(true).build());
        assertThat(made.id()).isEqualTo("resp_stub_1");

        Response fetched = client().responses().retrieve(made.id());
        assertThat(text(fetched)).isEqualTo(UpstreamStub.COMPLETION_TEXT);
        UpstreamStub.Received sent = UpstreamStub.shared().last("stored");
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/v1/responses/resp_stub_1");
        assertThat(sent.header("Authorization")).isNull();

        assertThat(client().responses().inputItems().list(made.id()).data()).hasSize(1);
        assertThat(UpstreamStub.shared().last("stored").path()).isEqualTo("/v1/responses/resp_stub_1/input_items");
        client().responses().delete(made.id());
        assertThat(UpstreamStub.shared().last("stored").method()).isEqualTo("DELETE");

        // another replica, or after a restart: unknown here, whatever model is named
        HttpResponse<String> unknown = RawHttp.get(base, "/v1/responses/resp_other_9?model=echo");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("response_not_found");

        // made at Azure: reached there, with its api-version and the client's paging
        client().responses().create(ResponseCreateParams.builder().model("azure-gpt").input("Say hi").store(true).build());
        HttpResponse<String> listed = RawHttp.get(base, "/v1/responses/resp_stub_1/input_items?model=echo&limit=5&order=asc");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(UpstreamStub.shared().last("azure-stored").path())
                .isEqualTo("/openai/responses/resp_stub_1/input_items?api-version=2024-10-21&limit=5&order=asc");
        assertThat(UpstreamStub.shared().last("azure-stored").header("api-key")).isEqualTo("azure-test-key");
        assertThat(RawHttp.get(base, "/v1/responses/resp_stub_1?after=x").statusCode()).as("paging is input_items' only").isEqualTo(400);
        for (String hostile : List.of("/v1/responses/resp.1", "/v1/responses/a~b", "/v1/responses/" + "x".repeat(300))) {
            HttpResponse<String> refused = RawHttp.get(base, hostile + "?model=echo");
            assertThat(refused.statusCode()).as(hostile).isBetween(400, 404);
            assertThat(refused.body()).as(hostile).startsWith("{\"error\"");
        }
    }

    @Test
    void anAnthropicModelAnswersTheResponsesApiOverItsMessagesAndRefusesWhatDoesNotMap() {
        Response whole = client().responses().create(ResponseCreateParams.builder().model("claude").instructions("Answer in one sentence.")
                .input("What is the capital of France?").maxOutputTokens(64L).build());
        assertThat(text(whole)).isEqualTo("The capital of France is Paris.");
        UpstreamStub.Received sent = UpstreamStub.shared().last("anthropic");
        assertThat(sent.body()).contains("\"system\":[{\"type\":\"text\",\"text\":\"Answer in one sentence.\"}]").contains("\"max_tokens\":64");

        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ResponseCreateParams.builder().model("claude")
                .input("What is the capital of France?").build())) {
            events = stream.stream().collect(Collectors.toList());
        }
        assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta()).collect(Collectors.joining()))
                .isEqualTo("The capital of France is Paris.");
        assertThat(events.get(events.size() - 1).completed()).isPresent();

        HttpResponse<String> searchLeftOut = RawHttp.post(base, "/v1/responses",
                "{\"model\":\"claude-or-echo\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}],\"reasoning\":{\"summary\":\"auto\"}}");
        assertThat(searchLeftOut.statusCode()).as("a provider that answers over chat cannot search: the tool is left out and named").isEqualTo(200);
        assertThat(searchLeftOut.headers().firstValue("X-Gateway-Provider")).contains("claude");
        assertThat(searchLeftOut.headers().firstValue("X-Gateway-Dropped-Fields")).contains("reasoning, tools[0]");
        assertThat(UpstreamStub.shared().last("anthropic").body()).doesNotContain("web_search");

        client().responses().create(ResponseCreateParams.builder().model("echo").input("Earlier").store(true).build());
        BadRequestException stateful = catchThrowableOfType(BadRequestException.class, () -> client().responses().create(
                ResponseCreateParams.builder().model("claude").input("hi").previousResponseId("resp_stub_1").build()));
        assertThat(stateful.param()).contains("previous_response_id");
        HttpResponse<String> fallenBack = RawHttp.post(base, "/v1/responses", "{\"model\":\"claude-or-echo\",\"input\":\"hi\",\"background\":true}");
        assertThat(fallenBack.statusCode()).as("what chat cannot carry at all falls back to a provider that keeps responses").isEqualTo(200);
        assertThat(fallenBack.headers().firstValue("X-Gateway-Provider")).contains("p-ok");
        assertThat(fallenBack.headers().firstValue("X-Gateway-Attempts")).contains("2");
    }

    @Test
    void aFunctionsVariantPromptBecomesTheResponsesInstructions() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/responses", "{\"model\":\"function::explain\",\"input\":\"go\","
                + "\"instructions\":\"Use plain words.\",\"gateway::variables\":{\"topic\":\"tides\",\"audience\":\"child\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Function")).contains("explain");
        String sent = UpstreamStub.shared().last("echo-model").body();
        assertThat(sent).contains("\"instructions\":\"Explain tides to a child.\\n\\nUse plain words.\"").contains("\"temperature\":0.3")
                .doesNotContain("gateway::");
        assertThat(response.body()).as("the variant's prompt is the operator's").contains("\"instructions\":\"Use plain words.\"")
                .doesNotContain("Explain tides");

        HttpResponse<String> streamed = RawHttp.post(base, "/v1/responses", "{\"model\":\"function::explain\",\"input\":\"go\",\"stream\":true,"
                + "\"gateway::variables\":{\"topic\":\"tides\",\"audience\":\"child\"}}");
        assertThat(streamed.body()).contains("event: response.completed").contains("\"instructions\":null").doesNotContain("Explain tides");
    }

    private static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream()).flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
    }

    private static List<String> eventTypes(String sse) {
        return sse.lines().filter(line -> line.startsWith("event: ")).map(line -> line.substring("event: ".length())).toList();
    }

    private List<Completion> stream(String model, String prompt) {
        try (StreamResponse<Completion> stream = client().completions().createStreaming(CompletionCreateParams.builder().model(model).prompt(prompt).build())) {
            return stream.stream().collect(Collectors.toList());
        }
    }

    private static String text(List<Completion> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.text()).collect(Collectors.joining());
    }

    private Scrape scrape() {
        return Scrape.of(base);
    }

    private static double delta(Scrape before, Scrape after, String metric, String... labels) {
        return after.since(before, metric, labels);
    }
}
