package dev.llmgateway.it;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Anthropic's Messages API, spoken by Anthropic's own SDK: over chat providers translated, to an Anthropic provider byte for byte. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MessagesIT {

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withRouting();
    }

    private AnthropicClient client() {
        return AnthropicOkHttpClient.builder().baseUrl(RawHttp.uri(base, "").toString().replaceAll("/$", "")).apiKey("client-key").maxRetries(0).build();
    }

    @Test
    void theSdkGetsAWholeMessageFromTheDummy() {
        Message message = client().messages().create(MessageCreateParams.builder().model("dummy").maxTokens(64)
                .system("Be brief.").addUserMessage("tell me about gateways").build());

        assertThat(message.content()).hasSize(1);
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("tell me about gateways");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.model().asString()).isEqualTo("dummy");
        assertThat(message.usage().outputTokens()).isEqualTo(4);
        assertThat(message.usage().inputTokens()).isPositive();
    }

    @Test
    void aModelNamePatternServesTheNamesAgentsSend() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/messages",
                "{\"model\":\"claude-test-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"aliased\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Model")).contains("dummy");
        assertThat(response.body()).contains("\"model\":\"claude-test-sonnet-4-5\"", "aliased");
    }

    @Test
    void theSdkStreamsEveryEventInOrderFromTheDummy() {
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(MessageCreateParams.builder().model("dummy")
                .maxTokens(64).addUserMessage("one two three").build())) {
            stream.stream().forEach(event -> {
                types.add(type(event));
                event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
            });
        }

        assertThat(text.toString().replace(" ", "")).isEqualTo("onetwothree");
        assertThat(types.get(0)).isEqualTo("message_start");
        assertThat(types.get(1)).isEqualTo("content_block_start");
        assertThat(types.subList(types.size() - 3, types.size())).containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(types).contains("content_block_delta");
    }

    @Test
    void theDummyCallsAToolWhenAskedAndAnswersItsResult() {
        Tool weather = Tool.builder().name("get_weather").description("The weather in a city")
                .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();
        MessageCreateParams asked = MessageCreateParams.builder().model("dummy").maxTokens(64).addTool(weather)
                .addUserMessage("What is the weather? [[tool get_weather {\"city\": \"Paris\"}]]").build();

        Message call = client().messages().create(asked);

        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        com.anthropic.models.messages.ToolUseBlock use = call.content().get(0).toolUse().orElseThrow();
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(use._input().toString()).contains("Paris");

        List<String> deltas = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(asked)) {
            stream.stream().forEach(event -> event.contentBlockDelta().flatMap(d -> d.delta().inputJson()).ifPresent(j -> deltas.add(j.partialJson())));
        }
        assertThat(String.join("", deltas)).isEqualTo("{\"city\":\"Paris\"}");

        Message answer = client().messages().create(asked.toBuilder().addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(com.anthropic.models.messages.ContentBlockParam.ofToolResult(
                        com.anthropic.models.messages.ToolResultBlockParam.builder().toolUseId(use.id()).content("sunny and 21 C").build()))).build());
        assertThat(answer.stopReason()).contains(StopReason.END_TURN);
        assertThat(answer.content().get(0).text().orElseThrow().text()).isEqualTo("Tool result: sunny and 21 C");
    }

    @Test
    void anOpenAiProviderGetsTheRequestAsChatAndTheSdkItsAnswerAsAMessage() {
        Message message = client().messages().create(MessageCreateParams.builder().model("echo").maxTokens(100)
                .system("You are terse.").addUserMessage("hi")
                .addTool(Tool.builder().name("get_weather").description("The weather in a city")
                        .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
                        .build())
                .build());

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo(UpstreamStub.COMPLETION_TEXT);
        String sent = UpstreamStub.shared().last("echo-model").body();
        assertThat(sent).contains("\"role\":\"system\"", "You are terse.", "\"type\":\"function\"", "\"name\":\"get_weather\"",
                "\"max_completion_tokens\":100", "\"model\":\"echo-model\"");
    }

    @Test
    void whatOnlyTunesAnthropicIsLeftOutForChatAndNamed() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/messages", "{\"model\":\"echo\",\"max_tokens\":10,\"metadata\":{\"user_id\":\"u1\"},"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Gateway-Dropped-Fields")).contains("cache_control, metadata, thinking");
        assertThat(response.headers().firstValue("request-id")).isEqualTo(response.headers().firstValue("X-Gateway-Inference-Id"));
        assertThat(UpstreamStub.shared().last("echo-model").body()).doesNotContain("cache_control", "thinking", "user_id");
    }

    @Test
    void anAnthropicProviderGetsTheClientsOwnBytesWithOnlyTheModelRenamed() {
        String body = "{ \"model\" : \"claude\",\n  \"max_tokens\": 1024, \"future_field\": {\"x\": 1.50},"
                + " \"system\": [{\"type\":\"text\",\"text\":\"Be brief \\u00e9\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + " \"messages\": [{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\","
                + "\"thinking\":\"Let me think\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDdV8=\"},{\"type\":\"text\",\"text\":\"Hello\"}]},"
                + "{\"role\":\"user\",\"content\":\"and?\"}], \"model_note\": \"model\" }";
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/messages"))
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "interleaved-thinking-2025-05-14,context-management-2025-06-27")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        UpstreamStub.Received sent = UpstreamStub.shared().last("anthropic");
        assertThat(sent.body()).isEqualTo(body.replace("\"model\" : \"claude\"", "\"model\" : \"claude-sonnet-4-5\""));
        assertThat(sent.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14,context-management-2025-06-27");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(response.body()).contains("\"id\": \"msg_01XFDUDYJgAACzvnptvVoYEL\"", "\"service_tier\": \"standard\"");
    }

    @Test
    void anAnthropicStreamReachesTheClientEventForEventPingsIncluded() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/messages",
                "{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = response.body().lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).collect(Collectors.toList());
        assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(response.body()).contains("data: {\"type\": \"ping\"}");

        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(MessageCreateParams.builder().model("claude")
                .maxTokens(64).addUserMessage("hi").build())) {
            stream.stream().forEach(event -> event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text())));
        }
        assertThat(text.toString()).isEqualTo("The capital of France is Paris.");
    }

    @Test
    void thinkingSignaturesAndCitationsReachTheClientByteForByteWithTheUsageRead() throws Exception {
        HttpResponse<String> response = RawHttp.post(base, "/v1/messages", "{\"model\":\"claude\",\"max_tokens\":2048,\"stream\":true,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"messages\":[{\"role\":\"user\",\"content\":\"capital?\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String fixture = new String(MessagesIT.class.getResourceAsStream("/fixtures/anthropic/thinking.sse").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.body()).isEqualTo(fixture);
        assertThat(response.body()).contains("\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDdV8zdmYwYTc2YmQ=\"",
                "citations_delta", "thinking_delta", "event: ping");
        // Anthropic counts cache reads and writes apart from its input tokens: the gateway's input counts them all once
        String inferenceId = response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
        OtlpReceiver.ReceivedLog record = OtlpReceiver.shared().awaitLog(r -> inferenceId.equals(r.string("gateway.inference_id")), java.time.Duration.ofSeconds(20));
        assertThat(record.attribute("gen_ai.usage.input_tokens").orElseThrow().getIntValue()).isEqualTo(4240);
        assertThat(record.attribute("gen_ai.usage.output_tokens").orElseThrow().getIntValue()).isEqualTo(25);
    }

    @Test
    void badRequestsAreRefusedInAnthropicsShape() {
        HttpResponse<String> noMaxTokens = RawHttp.post(base, "/v1/messages", "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(noMaxTokens.statusCode()).isEqualTo(400);
        assertThat(noMaxTokens.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}");

        HttpResponse<String> notJson = RawHttp.post(base, "/v1/messages", "{");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");

        HttpResponse<String> get = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/messages")).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");

        HttpResponse<String> batches = RawHttp.post(base, "/v1/messages/batches", "{}");
        assertThat(batches.statusCode()).isEqualTo(404);
        assertThat(batches.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"");

        NotFoundException unknown = catchThrowableOfType(NotFoundException.class, () -> client().messages().create(MessageCreateParams.builder()
                .model("no-such-model").maxTokens(10).addUserMessage("hi").build()));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.getMessage()).contains("not_found_error");

        HttpResponse<String> untranslatable = RawHttp.post(base, "/v1/messages", "{\"model\":\"dummy\",\"max_tokens\":10,\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"a doc\"}}]}]}");
        assertThat(untranslatable.statusCode()).isEqualTo(400);
        assertThat(untranslatable.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"").contains("messages[0].content[0]")
                .contains("\"request_id\":\"");
        assertThat(untranslatable.headers().firstValue("request-id")).isPresent();

        BadRequestException sdk = catchThrowableOfType(BadRequestException.class, () -> client().messages().create(MessageCreateParams.builder()
                .model("dummy").maxTokens(0).addUserMessage("hi").build()));
        assertThat(sdk.statusCode()).isEqualTo(400);
    }

    @Test
    void tokensAreCountedByAnAnthropicProviderAndEstimatedForTheOthersNeverBilled() {
        com.anthropic.models.messages.MessageTokensCount counted = client().messages().countTokens(
                com.anthropic.models.messages.MessageCountTokensParams.builder().model("claude").addUserMessage("count me").build());
        assertThat(counted.inputTokens()).isEqualTo(UpstreamStub.COUNTED_TOKENS);
        assertThat(UpstreamStub.shared().last("anthropic-count").body()).contains("\"model\":\"claude-sonnet-4-5\"", "count me");

        HttpResponse<String> estimated = RawHttp.post(base, "/v1/messages/count_tokens", "{\"model\":\"dummy\",\"system\":\"You are a helpful assistant.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"The quick brown fox jumps over the lazy dog.\"}]}");
        assertThat(estimated.statusCode()).as(estimated.body()).isEqualTo(200);
        assertThat(estimated.headers().firstValue("X-Gateway-Token-Count")).contains("estimate; o200k_base");
        // o200k_base: 6 tokens of system text, 10 of the message, 3 for the request and 3 for the message's framing
        assertThat(estimated.body()).isEqualTo("{\"input_tokens\":22}");

        HttpResponse<String> unknown = RawHttp.post(base, "/v1/messages/count_tokens", "{\"model\":\"nope\",\"messages\":[]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"");
    }

    @Test
    void theModelListTakesAnthropicsShapeForAnthropicClients() {
        HttpResponse<String> anthropic = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/models")).header("anthropic-version", "2023-06-01").GET());
        assertThat(anthropic.statusCode()).isEqualTo(200);
        assertThat(anthropic.body()).contains("{\"type\":\"model\",\"id\":\"claude\",\"display_name\":\"claude\",\"created_at\":\"", "\"has_more\":false");
        assertThat(client().models().list().data()).extracting(m -> m.id()).contains("claude", "dummy", "echo");

        HttpResponse<String> openAi = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/models")).GET());
        assertThat(openAi.body()).startsWith("{\"object\":\"list\"");
    }

    private static String type(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        }
        if (event.isContentBlockStart()) {
            return "content_block_start";
        }
        if (event.isContentBlockDelta()) {
            return "content_block_delta";
        }
        if (event.isContentBlockStop()) {
            return "content_block_stop";
        }
        if (event.isMessageDelta()) {
            return "message_delta";
        }
        return event.isMessageStop() ? "message_stop" : "other";
    }
}
