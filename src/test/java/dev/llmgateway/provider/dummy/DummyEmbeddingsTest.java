package dev.llmgateway.provider.dummy;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DummyEmbeddingsTest {

    @Test
    void theSameInputAlwaysGivesTheSameUnitVector() {
        JsonObject first = answer("{\"input\":[\"the cat\",\"a dog\",\"the cat\"]}", 64);
        JsonArray data = first.getJsonArray("data");
        assertThat(data).hasSize(3);
        assertThat(vector(data, 0)).isEqualTo(vector(data, 2)).isNotEqualTo(vector(data, 1));
        assertThat(vector(answer("{\"input\":\"the cat\"}", 64).getJsonArray("data"), 0)).isEqualTo(vector(data, 0));
        double norm = 0;
        for (double v : vector(data, 1)) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, within(1e-4));
        assertThat(first.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(6);
        assertThat(data.getJsonObject(2).getInt("index")).isEqualTo(2);
    }

    @Test
    void dimensionsAndBase64AreHonoured() {
        JsonObject floats = answer("{\"input\":[1,2,3],\"dimensions\":5}", 64);
        double[] vector = vector(floats.getJsonArray("data"), 0);
        assertThat(vector).hasSize(5);
        assertThat(floats.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(3);

        JsonObject base64 = answer("{\"input\":[1,2,3],\"dimensions\":5,\"encoding_format\":\"base64\"}", 64);
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.getJsonArray("data").getJsonObject(0).getString("embedding")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(5 * Float.BYTES);
        for (double v : vector) {
            assertThat((double) bytes.getFloat()).isCloseTo(v, within(1e-6));
        }
    }

    @Test
    void aRequestSaysHowLargeItsAnswerWouldBeBeforeItIsMade() {
        assertThat(DummyEmbeddings.values(Json.parseObject("{\"input\":[\"a\",\"b\",\"c\"],\"dimensions\":65536}"), 8)).isEqualTo(3 * 65_536L);
        assertThat(DummyEmbeddings.values(Json.parseObject("{\"input\":[1,2,3]}"), 8)).isEqualTo(8);
    }

    @Test
    void aRequestForMoreValuesThanTheCapIsRefusedBeforeAnyVectorIsMade() {
        DummyProvider dummy = new DummyProvider(dev.llmgateway.provider.TestProviders.settings("d", dev.llmgateway.config.ProviderType.DUMMY, null, null));
        String inputs = String.join(",", java.util.Collections.nCopies(2048, "\"some text\""));
        dev.llmgateway.provider.ProviderRequest huge = new dev.llmgateway.provider.ProviderRequest(dev.llmgateway.provider.Operation.EMBEDDINGS,
                Json.parseObject("{\"input\":[" + inputs + "],\"dimensions\":16384}"), "d", false);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dummy.complete(huge))
                .isInstanceOfSatisfying(dev.llmgateway.provider.ProviderException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(dev.llmgateway.provider.ProviderException.Reason.REQUEST_REJECTED);
                });
    }

    private static JsonObject answer(String request, int dimensions) {
        return Json.parseObject(DummyEmbeddings.answer(Json.parseObject(request), "m", dimensions));
    }

    private static double[] vector(JsonArray data, int index) {
        return data.getJsonObject(index).getJsonArray("embedding").getValuesAs(jakarta.json.JsonNumber.class).stream()
                .mapToDouble(jakarta.json.JsonNumber::doubleValue).toArray();
    }
}
