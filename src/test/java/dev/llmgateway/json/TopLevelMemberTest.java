package dev.llmgateway.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A top-level member replaced in the object's own bytes, everything else left byte for byte. */
class TopLevelMemberTest {

    private static String replaced(String json, String value) {
        byte[] out = TopLevelMember.replaceString(json.getBytes(StandardCharsets.UTF_8), "model", value);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void replacesOnlyTheTopLevelValue() {
        String json = "{ \"messages\": [{\"model\": \"inner\", \"content\": \"model\"}], \"model\" :\n \"claude\" , \"x\": {\"model\":\"deep\"} }";
        assertThat(replaced(json, "claude-sonnet-4-5"))
                .isEqualTo("{ \"messages\": [{\"model\": \"inner\", \"content\": \"model\"}], \"model\" :\n \"claude-sonnet-4-5\" , \"x\": {\"model\":\"deep\"} }");
    }

    @Test
    void readsEscapedKeysAndStringsWithQuotesAndBackslashes() {
        String json = "{\"a\":\"x\\\"model\\\\\",\"mo\\u0064el\":\"m\",\"b\":[1,{\"c\":\"}\"}]}";
        assertThat(replaced(json, "n\"ew")).isEqualTo("{\"a\":\"x\\\"model\\\\\",\"mo\\u0064el\":\"n\\\"ew\",\"b\":[1,{\"c\":\"}\"}]}");
    }

    @Test
    void replacesAValueThatIsNotAString() {
        assertThat(replaced("{\"model\":null,\"y\":1}", "m")).isEqualTo("{\"model\":\"m\",\"y\":1}");
        assertThat(replaced("{\"y\":1,\"model\":{\"a\":[1,2]}}", "m")).isEqualTo("{\"y\":1,\"model\":\"m\"}");
        assertThat(replaced("{\"model\":12.5e3}", "m")).isEqualTo("{\"model\":\"m\"}");
    }

    @Test
    void keepsMultiByteTextAsItWas() {
        String json = "{\"system\":\"héllo ✓ 😀\",\"model\":\"a\"}";
        assertThat(replaced(json, "b")).isEqualTo("{\"system\":\"héllo ✓ 😀\",\"model\":\"b\"}");
    }

    @Test
    void aKeyTwiceIsNeverSplicedWhicheverTheParserWouldRead() {
        assertThat(replaced("{\"model\":\"cheap\",\"x\":1,\"model\":\"dear\"}", "m")).isNull();
    }

    @Test
    void saysWhenThereIsNoSuchMember() {
        assertThat(replaced("{\"messages\":[{\"model\":\"x\"}]}", "m")).isNull();
    }
}
