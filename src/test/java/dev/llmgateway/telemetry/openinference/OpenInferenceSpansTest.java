package dev.llmgateway.telemetry.openinference;

import dev.llmgateway.json.Json;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import dev.llmgateway.testing.SpansInMemory;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class OpenInferenceSpansTest {

    @Test
    void aChatAttemptBecomesAnLlmSpanWithItsMessagesParametersAndTokens() {
        SpanData chat = span("chat gpt-4o", SpanKind.CLIENT, s -> s
                .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "azure.ai.openai")
                .setAttribute("gen_ai.request.model", "gpt-4o").setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
                .setAttribute("gen_ai.request.temperature", 0.5).setAttribute("gen_ai.request.max_tokens", 20L)
                .setAttribute(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"), List.of("END"))
                .setAttribute("gen_ai.usage.input_tokens", 10L).setAttribute("gen_ai.usage.output_tokens", 4L)
                .setAttribute("gen_ai.usage.cache_read.input_tokens", 3L)
                .setAttribute("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]")
                .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]")
                .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}],\"finish_reason\":\"stop\"}]")
                .setAttribute("gateway.provider", "azure"));

        Attributes mapped = OpenInferenceSpans.of(chat, false);

        assertThat(mapped.get(OpenInferenceSpans.SPAN_KIND)).isEqualTo("LLM");
        assertThat(mapped.get(OpenInferenceSpans.MODEL_NAME)).isEqualTo("gpt-4o-2024-08-06");
        assertThat(mapped.get(OpenInferenceSpans.PROVIDER)).isEqualTo("azure");
        assertThat(mapped.get(OpenInferenceSpans.SYSTEM)).isEqualTo("openai");
        assertThat(Json.parseObject(mapped.get(OpenInferenceSpans.INVOCATION_PARAMETERS)))
                .isEqualTo(Json.parseObject("{\"temperature\":0.5,\"max_tokens\":20,\"stop\":[\"END\"]}"));
        assertThat(mapped.get(OpenInferenceSpans.PROMPT_TOKENS)).isEqualTo(10);
        assertThat(mapped.get(OpenInferenceSpans.COMPLETION_TOKENS)).isEqualTo(4);
        assertThat(mapped.get(OpenInferenceSpans.TOTAL_TOKENS)).isEqualTo(14);
        assertThat(mapped.get(OpenInferenceSpans.CACHE_READ_TOKENS)).isEqualTo(3);
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.0.message.role"))).isEqualTo("system");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.0.message.content"))).isEqualTo("Be brief.");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.1.message.content"))).isEqualTo("Hi");
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.role"))).isEqualTo("assistant");
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.content"))).isEqualTo("Hello");
        assertThat(mapped.get(OpenInferenceSpans.INPUT_MIME_TYPE)).isEqualTo("application/json");
        assertThat(mapped.get(AttributeKey.stringKey("gateway.provider"))).isEqualTo("azure");
        assertThat(mapped.asMap().keySet()).noneMatch(key -> key.getKey().startsWith("gen_ai."));

        assertThat(OpenInferenceSpans.of(chat, true).get(AttributeKey.stringKey("gen_ai.operation.name"))).as("kept when asked").isEqualTo("chat");
    }

    @Test
    void embeddingsTheChainAndOtherSpansAreNamedAsTheirKind() {
        SpanData embeddings = span("embeddings text-embedding-3-small", SpanKind.CLIENT, s -> s
                .setAttribute("gen_ai.operation.name", "embeddings").setAttribute("gen_ai.request.model", "text-embedding-3-small")
                .setAttribute("gen_ai.embeddings.dimension.count", 256L));
        Attributes mapped = OpenInferenceSpans.of(embeddings, false);
        assertThat(mapped.get(OpenInferenceSpans.SPAN_KIND)).isEqualTo("EMBEDDING");
        assertThat(mapped.get(OpenInferenceSpans.EMBEDDING_MODEL_NAME)).isEqualTo("text-embedding-3-small");
        assertThat(mapped.get(OpenInferenceSpans.EMBEDDING_INVOCATION_PARAMETERS)).isEqualTo("{\"dimensions\":256}");

        SpanData infinite = span("chat m", SpanKind.CLIENT, s -> s.setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.temperature", Double.POSITIVE_INFINITY).setAttribute("gen_ai.request.top_p", 0.5));
        assertThat(OpenInferenceSpans.of(infinite, false).get(OpenInferenceSpans.INVOCATION_PARAMETERS))
                .as("a client's 1e309 on the span leaves the rest of the parameters").isEqualTo("{\"top_p\":0.5}");

        assertThat(OpenInferenceSpans.of(span("model_inference gpt", SpanKind.INTERNAL, s -> s.setAttribute("gen_ai.operation.name", "chat")), false)
                .get(OpenInferenceSpans.SPAN_KIND)).isEqualTo("CHAIN");
        assertThat(OpenInferenceSpans.of(span("POST /v1/chat/completions", SpanKind.SERVER, s -> { }), false).get(OpenInferenceSpans.SPAN_KIND))
                .isEqualTo("CHAIN");
        SpanData other = span("something else", SpanKind.INTERNAL, s -> s.setAttribute("a", "b"));
        assertThat(OpenInferenceSpans.of(other, false)).isSameAs(other.getAttributes());
    }

    @Test
    void toolCallsAndToolAnswersAreFlattenedAsOpenInferenceMessages() {
        SpanData chat = span("chat m", SpanKind.CLIENT, s -> s.setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather?\"}]},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}]},"
                        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"-3 C\"}]}]")
                .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"\"},"
                        + "{\"type\":\"tool_call\",\"id\":\"call_2\",\"name\":\"get_time\",\"arguments\":\"{}\"},"
                        + "{\"type\":\"tool_call\",\"id\":\"call_3\",\"name\":\"get_date\",\"arguments\":\"{}\"}],\"finish_reason\":\"tool_calls\"}]"));

        Attributes mapped = OpenInferenceSpans.of(chat, false);

        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.1.message.role"))).isEqualTo("assistant");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.1.message.tool_calls.0.tool_call.id"))).isEqualTo("call_1");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.1.message.tool_calls.0.tool_call.function.name"))).isEqualTo("get_weather");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments"))).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.2.message.role"))).isEqualTo("tool");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.2.message.tool_call_id"))).isEqualTo("call_1");
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.2.message.content"))).isEqualTo("-3 C");
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.tool_calls.0.tool_call.function.name"))).isEqualTo("get_time");
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.tool_calls.1.tool_call.id"))).isEqualTo("call_3");
    }

    @Test
    void anAnswerOfManyToolCallsFlattensOnlyTheFirstOnesIntoAttributes() {
        StringBuilder calls = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            calls.append(i == 0 ? "" : ",").append("{\"type\":\"tool_call\",\"id\":\"c").append(i).append("\",\"name\":\"f\",\"arguments\":\"{}\"}");
        }
        SpanData chat = span("chat m", SpanKind.CLIENT, s -> s.setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[" + calls + "]}]"));

        Attributes mapped = OpenInferenceSpans.of(chat, false);

        int last = OpenInferenceSpans.MAX_TOOL_CALLS - 1;
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.tool_calls." + last + ".tool_call.id"))).isEqualTo("c" + last);
        assertThat(mapped.get(AttributeKey.stringKey("llm.output_messages.0.message.tool_calls." + (last + 1) + ".tool_call.id"))).isNull();
        assertThat(mapped.size()).isLessThan(3 * OpenInferenceSpans.MAX_TOOL_CALLS + 20);
    }

    @Test
    void aCapturedValueCutByTheLengthLimitLeavesNoMessagesRatherThanFailingTheExport() {
        SpanData cut = span("chat m", SpanKind.CLIENT, s -> s.setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"te"));
        Attributes mapped = OpenInferenceSpans.of(cut, false);
        assertThat(mapped.get(AttributeKey.stringKey("llm.input_messages.0.message.role"))).isNull();
        assertThat(mapped.get(OpenInferenceSpans.INPUT_VALUE)).startsWith("[{");
    }

    private static SpanData span(String name, SpanKind kind, Consumer<io.opentelemetry.api.trace.Span> attributes) {
        SpansInMemory into = new SpansInMemory();
        List<SpanData> exported = into.ended();
        try (SdkTracerProvider provider = into.provider()) {
            Tracer tracer = provider.get("test");
            io.opentelemetry.api.trace.Span span = tracer.spanBuilder(name).setSpanKind(kind).startSpan();
            attributes.accept(span);
            span.end();
        }
        return exported.get(0);
    }
}
