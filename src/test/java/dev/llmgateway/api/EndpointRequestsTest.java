package dev.llmgateway.api;

import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embeddings and legacy-completions adapters: what they accept, and the parameter they name when they refuse. */
class EndpointRequestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"\"hello\"", "[\"a\",\"b\"]", "[1,2,3]", "[[1,2],[3]]"})
    void embeddingsTakeEveryInputShapeOpenAiTakes(String input) {
        ClientRequest request = EmbeddingsServlet.request(Json.parseObject("{\"model\":\"e\",\"input\":" + input
                + ",\"encoding_format\":\"base64\",\"dimensions\":256,\"user\":\"u\"}"));
        assertThat(request.operation()).isEqualTo(Operation.EMBEDDINGS);
        assertThat(request.model()).isEqualTo("e");
        assertThat(request.stream()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"e\"}                                         | input",
            "{\"model\":\"e\",\"input\":null}                          | input",
            "{\"model\":\"e\",\"input\":\"\"}                          | input",
            "{\"model\":\"e\",\"input\":[]}                            | input",
            "{\"model\":\"e\",\"input\":{}}                            | input",
            "{\"model\":\"e\",\"input\":[\"a\",1]}                     | input[1]",
            "{\"model\":\"e\",\"input\":[\"a\",\"\"]}                  | input[1]",
            "{\"model\":\"e\",\"input\":[1,-1]}                        | input[1]",
            "{\"model\":\"e\",\"input\":[1,2.5]}                       | input[1]",
            "{\"model\":\"e\",\"input\":[1,1e400]}                     | input[1]",
            "{\"model\":\"e\",\"input\":[[1],[]]}                      | input[1]",
            "{\"model\":\"e\",\"input\":[[1],[\"x\"]]}                 | input[1][0]",
            "{\"model\":\"e\",\"input\":[true]}                        | input",
            "{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"int8\"} | encoding_format",
            "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":0}        | dimensions",
            "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":\"8\"}    | dimensions",
            "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":1e99}     | dimensions",
            "{\"model\":\"e\",\"input\":\"x\",\"user\":7}              | user",
            "{\"model\":\"e\",\"input\":\"x\",\"stream\":true}         | stream",
            "{\"input\":\"x\"}                                         | model",
            "{\"model\":\"\",\"input\":\"x\"}                          | model",
    })
    void embeddingsRefuseWhatOpenAiRefusesNamingTheParameter(String body, String param) {
        assertThatThrownBy(() -> EmbeddingsServlet.request(Json.parseObject(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo(param);
                });
    }

    @Test
    void completionsAcceptAnEmptyPromptAndCarryStreamAndUsage() {
        ClientRequest request = CompletionsServlet.request(Json.parseObject(
                "{\"model\":\"c\",\"prompt\":\"\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":0}"));
        assertThat(request.operation()).isEqualTo(Operation.TEXT_COMPLETION);
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"c\"}                                 | prompt",
            "{\"model\":\"c\",\"prompt\":3}                    | prompt",
            "{\"model\":\"c\",\"prompt\":[\"a\",[1]]}          | prompt[1]",
            "{\"model\":\"c\",\"prompt\":\"x\",\"max_tokens\":-1} | max_tokens",
            "{\"model\":\"c\",\"prompt\":\"x\",\"n\":0}        | n",
            "{\"model\":\"c\",\"prompt\":\"x\",\"stream\":\"yes\"} | stream",
            "{\"model\":\"c\",\"prompt\":\"x\",\"stream_options\":[]} | stream_options",
            "{\"model\":\"c\",\"prompt\":\"x\",\"suffix\":{}}   | suffix",
    })
    void completionsRefuseNamingTheParameter(String body, String param) {
        assertThatThrownBy(() -> CompletionsServlet.request(Json.parseObject(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().param()).isEqualTo(param));
    }
}
