package dev.llmgateway.json;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void bytesRoundTripInUtf8() {
        JsonObject object = Json.object().add("text", "Grüße, 世界 🙂").add("n", 3).build();

        byte[] bytes = Json.toBytes(object);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"Grüße, 世界 🙂\",\"n\":3}");
        assertThat(Json.parseObject(bytes)).isEqualTo(object);
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        byte[] withBom = "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(Json.parseObject(withBom).getInt("a")).isEqualTo(1);
    }

    @Test
    void whatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> Json.parseObject("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.parseObject(new byte[0])).isInstanceOf(JsonException.class);
    }
}
