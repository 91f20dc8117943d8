package dev.llmgateway.it;

import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import dev.llmgateway.json.Json;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.llmgateway.it.OtlpReceiver.inferenceId;
import static dev.llmgateway.it.OtlpReceiver.kind;

/** {@code gateway.tracing.format=openinference}: the spans the runtime really exports, decoded, in OpenInference's names. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenInferenceIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @ArquillianResource
    URL base;

    private final OtlpReceiver receiver = OtlpReceiver.shared();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withOpenInference();
    }

    @Test
    void aChatCallIsAChainAroundAnLlmSpanWithMessagesTokensAndNoGenAiDuplicates() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/chat/completions", "{\"model\":\"dummy\",\"temperature\":0.5,\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"phoenix reads this\"}]}");
        List<ReceivedSpan> trace = traceOf(inferenceId(response));

        ReceivedSpan llm = kind(trace, SpanKind.SPAN_KIND_CLIENT);
        assertThat(llm.resourceAttribute("service.name")).isEqualTo(GatewayDeployment.OPENINFERENCE_SERVICE);
        assertThat(llm.string("openinference.span.kind")).isEqualTo("LLM");
        assertThat(llm.string("llm.model_name")).isEqualTo("dummy");
        assertThat(llm.string("llm.provider")).isEqualTo("dummy");
        assertThat(Json.parseObject(llm.string("llm.invocation_parameters")).getJsonNumber("temperature").doubleValue()).isEqualTo(0.5);
        assertThat(llm.integer("llm.token_count.prompt")).isEqualTo(5);
        assertThat(llm.integer("llm.token_count.completion")).isEqualTo(3);
        assertThat(llm.integer("llm.token_count.total")).isEqualTo(8);
        assertThat(llm.string("llm.input_messages.0.message.role")).isEqualTo("system");
        assertThat(llm.string("llm.input_messages.0.message.content")).isEqualTo("Be brief.");
        assertThat(llm.string("llm.input_messages.1.message.content")).isEqualTo("phoenix reads this");
        assertThat(llm.string("llm.output_messages.0.message.content")).isEqualTo("phoenix reads this");
        assertThat(llm.string("input.mime_type")).isEqualTo("application/json");
        assertThat(llm.string("gateway.provider")).isEqualTo("dummy");
        assertThat(llm.span().getAttributesList()).as("no GenAI duplicates unless asked").noneMatch(kv -> kv.getKey().startsWith("gen_ai."));
        assertThat(trace).filteredOn(s -> s.kind() != SpanKind.SPAN_KIND_CLIENT).isNotEmpty()
                .allSatisfy(s -> assertThat(s.string("openinference.span.kind")).as(s.name()).isEqualTo("CHAIN"));

        // log records are their own switch: off here, though a record would leave within 100 ms of its inference
        String inferenceId = inferenceId(response);
        OtlpReceiver.sleep(1_000);
        assertThat(receiver.logs()).noneMatch(r -> inferenceId.equals(r.string("gateway.inference_id")));
    }

    @Test
    void anEmbeddingsCallIsAnEmbeddingSpan() {
        HttpResponse<String> response = RawHttp.post(base, "/v1/embeddings", "{\"model\":\"dummy\",\"input\":\"a b\",\"dimensions\":4}");
        ReceivedSpan embedding = kind(traceOf(inferenceId(response)), SpanKind.SPAN_KIND_CLIENT);

        assertThat(embedding.string("openinference.span.kind")).isEqualTo("EMBEDDING");
        assertThat(embedding.string("embedding.model_name")).isEqualTo("dummy");
        assertThat(embedding.string("embedding.invocation_parameters")).isEqualTo("{\"dimensions\":4}");
        assertThat(embedding.integer("llm.token_count.prompt")).isEqualTo(2);
    }

    private List<ReceivedSpan> traceOf(String inferenceId) {
        return receiver.traceOfInference(inferenceId, 3, WAIT);
    }
}
