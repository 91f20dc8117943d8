package dev.llmgateway.provider;

import dev.llmgateway.config.ProviderType;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.anthropic.AnthropicProvider;
import dev.llmgateway.provider.azure.AzureOpenAi;
import dev.llmgateway.provider.openai.OpenAiProvider;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every network provider keeps, checked against each one's recorded wire format: the same
 * request yields the same OpenAI-shaped answer, whole and streamed, with usage and finish reason.
 */
class ProviderFixturesTest {

    enum Kind {
        OPENAI(new Usage(25, 8, 0, 0)), AZURE(new Usage(25, 8, 0, 0)), ANTHROPIC(new Usage(25, 8, 0, -1, 0));

        /** what each whole answer's fixture reports: Anthropic counts cached input tokens but no reasoning */
        final Usage usage;

        Kind(Usage usage) {
            this.usage = usage;
        }
    }

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor();
    private static FixtureUpstream upstream;

    @BeforeAll
    static void start() throws IOException {
        upstream = new FixtureUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        TIMERS.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersWhole(Kind kind) throws ProviderException {
        Completion completion = provider(kind).complete(request(kind, false));

        JsonObject choice = completion.json().getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("The capital of France is Paris.");
        assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(completion.usage()).isEqualTo(kind.usage);
        assertThat(completion.json().getString("object")).isEqualTo("chat.completion");
        assertThat(completion.json().getString("id")).isNotBlank();
        assertThat(completion.summary().id()).isEqualTo(completion.json().getString("id"));
        assertThat(completion.summary().finishReasons()).containsExactly("stop");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersStreamed(Kind kind) throws ProviderException {
        List<Chunk> chunks = drain(provider(kind).stream(request(kind, true)));

        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        for (Chunk chunk : chunks) {
            for (var value : chunk.json().getJsonArray("choices")) {
                JsonObject choice = value.asJsonObject();
                text.append(choice.getJsonObject("delta").getString("content", ""));
                if (choice.get("finish_reason") instanceof JsonString reason) {
                    finishReasons.add(reason.getString());
                }
            }
        }
        assertThat(text.toString()).isEqualTo("The capital of France is Paris.");
        assertThat(finishReasons).containsExactly("stop");
        Chunk last = chunks.get(chunks.size() - 1);
        assertThat(last.isUsageOnly()).isTrue();
        assertThat(last.usage()).extracting(Usage::inputTokens, Usage::outputTokens).containsExactly(25L, 8L);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sendsTheKeyWhereTheProviderExpectsIt(Kind kind) throws ProviderException {
        provider(kind).complete(request(kind, false));

        FixtureUpstream.Request sent = upstream.last();
        assertThat(sent.header("User-Agent")).isEqualTo("llm-gateway");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        switch (kind) {
            case OPENAI -> {
                assertThat(sent.uri().getPath()).isEqualTo("/v1/chat/completions");
                assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-fixture-key");
                assertThat(Json.parseObject(sent.body()).getString("model")).isEqualTo("gpt-4o-mini");
            }
            case AZURE -> {
                assertThat(sent.uri().getPath()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions");
                assertThat(sent.uri().getQuery()).isEqualTo("api-version=2024-10-21");
                assertThat(sent.header("api-key")).isEqualTo("sk-fixture-key");
                assertThat(sent.header("Authorization")).isNull();
            }
            case ANTHROPIC -> {
                assertThat(sent.uri().getPath()).isEqualTo("/v1/messages");
                assertThat(sent.header("x-api-key")).isEqualTo("sk-fixture-key");
                assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
                assertThat(Json.parseObject(sent.body())).isEqualTo(Json.parseObject(FixtureUpstream.text("anthropic/request.json")));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"OPENAI", "AZURE"})
    void asksForUsageOnEveryStream(Kind kind) throws ProviderException {
        drain(provider(kind).stream(request(kind, true)));

        assertThat(Json.parseObject(upstream.last().body()).getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void anthropicToolUseStreamsAsToolCallDeltas() throws ProviderException {
        upstream.serving("anthropic/tool-use.json", "anthropic/tool-use.sse");
        List<Chunk> chunks = drain(new AnthropicProvider(http(ProviderType.ANTHROPIC, upstream.baseUrl() + "/v1", "2023-06-01"))
                .stream(request(Kind.ANTHROPIC, true)));

        StringBuilder arguments = new StringBuilder();
        String toolId = null;
        String finish = null;
        for (Chunk chunk : chunks) {
            for (var value : chunk.json().getJsonArray("choices")) {
                JsonObject choice = value.asJsonObject();
                for (var call : choice.getJsonObject("delta").getJsonArray("tool_calls") == null
                        ? List.<jakarta.json.JsonValue>of() : choice.getJsonObject("delta").getJsonArray("tool_calls")) {
                    JsonObject c = call.asJsonObject();
                    assertThat(c.getInt("index")).isZero();
                    toolId = c.getString("id", toolId);
                    arguments.append(c.getJsonObject("function").getString("arguments", ""));
                }
                if (choice.get("finish_reason") instanceof JsonString reason) {
                    finish = reason.getString();
                }
            }
        }
        assertThat(toolId).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(Json.parseObject(arguments.toString()).getString("location")).isEqualTo("Paris, France");
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(new Usage(220, 40, 100, -1, 0));
    }

    private static Provider provider(Kind kind) {
        return switch (kind) {
            case OPENAI -> {
                upstream.serving("openai/completion.json", "openai/stream.sse");
                yield OpenAiProvider.compatible(http(ProviderType.OPENAI, upstream.baseUrl() + "/v1", null));
            }
            case AZURE -> {
                upstream.serving("azure/completion.json", "azure/stream.sse");
                yield AzureOpenAi.provider(http(ProviderType.AZURE, upstream.baseUrl(), "2024-10-21"));
            }
            case ANTHROPIC -> {
                upstream.serving("anthropic/completion.json", "anthropic/stream.sse");
                yield new AnthropicProvider(http(ProviderType.ANTHROPIC, upstream.baseUrl() + "/v1", "2023-06-01"));
            }
        };
    }

    static UpstreamHttp http(ProviderType type, String baseUrl, String apiVersion) {
        return new UpstreamHttp(TestProviders.settings("fixture", type, baseUrl, apiVersion), TIMERS, UpstreamHeaders.NONE);
    }

    private static ProviderRequest request(Kind kind, boolean stream) {
        String model = kind == Kind.ANTHROPIC ? "claude-sonnet-4-5" : "gpt-4o-mini";
        return new ProviderRequest(Json.parseObject(FixtureUpstream.text("request.json")), model, stream);
    }

    static List<Chunk> drain(ChunkStream stream) throws ProviderException {
        List<Chunk> chunks = new ArrayList<>();
        try (stream) {
            Chunk chunk;
            while ((chunk = stream.next()) != null) {
                chunks.add(chunk);
            }
        }
        return chunks;
    }
}
