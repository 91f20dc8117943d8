package dev.llmgateway.request;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTagsTest {

    @Test
    void namesAndValuesInOrder() {
        assertThat(ClientTags.parse(" team=search , env=prod,flag")).containsExactly(Map.entry("team", "search"), Map.entry("env", "prod"),
                Map.entry("flag", ""));
        assertThat(ClientTags.parse(null)).isEmpty();
        assertThat(ClientTags.parse("  ")).isEmpty();
    }

    @Test
    void boundedAndPlain() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ClientTags.MAX_TAGS; i++) {
            many.append(many.isEmpty() ? "" : ",").append("t").append(i).append("=v");
        }
        for (String bad : new String[]{many.toString(), "a=1,a=2", "=v", "bad name=v", "k=" + "v".repeat(257), "k=caf\u00e9", "k=\u0001", "a=1,,b=2",
                "n".repeat(65) + "=v", "k=a\"b", "k=a\\b"}) {
            assertThatThrownBy(() -> ClientTags.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(ClientTags.HEADER);
        }
    }
}
