package dev.llmgateway.inference;

import dev.llmgateway.provider.Operation;
import dev.llmgateway.config.VariantSettings;
import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariantInferenceTest {

    private static final VariantSettings TERSE = new VariantSettings("terse", "dummy", 1,
            Optional.of("You summarise {{ topic }} in {{words}} words."),
            Json.parseObject("{\"temperature\":0.1,\"max_tokens\":50}"));

    @Test
    void putsTheRenderedSystemPromptFirstAndFillsOnlyMissingParameters() {
        JsonObject body = VariantInference.apply(TERSE, request("{\"model\":\"function::s\",\"temperature\":0.9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"text\"}]}", "{\"topic\":\"cats\",\"words\":12}"));

        assertThat(body.getJsonArray("messages").getJsonObject(0))
                .isEqualTo(Json.parseObject("{\"role\":\"system\",\"content\":\"You summarise cats in 12 words.\"}"));
        assertThat(body.getJsonArray("messages")).hasSize(2);
        assertThat(body.getJsonNumber("temperature").doubleValue()).isEqualTo(0.9);
        assertThat(body.getInt("max_tokens")).isEqualTo(50);
    }

    @Test
    void aMissingVariableIsTheClientsError() {
        assertThatThrownBy(() -> VariantInference.apply(TERSE, request("{\"messages\":[]}", "{\"topic\":\"cats\"}")))
                .isInstanceOf(InvalidInferenceRequestException.class).hasMessageContaining("'words'");
    }

    @Test
    void aPlainVariantLeavesTheBodyAlone() {
        InferenceRequest request = request("{\"messages\":[]}", "{}");
        VariantSettings plain = new VariantSettings("plain", "dummy", 1, Optional.empty(), JsonValue.EMPTY_JSON_OBJECT);

        assertThat(VariantInference.apply(plain, request)).isSameAs(request.body());
    }

    private static InferenceRequest request(String body, String variables) {
        return new InferenceRequest("id", Operation.CHAT, Json.parseObject(body), false, Optional.empty(), Json.parseObject(variables));
    }
}
