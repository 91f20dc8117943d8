package dev.llmgateway.config;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTextTest {

    private static final String KEY = "sk-proj-Ab/c+d\"e=f1234";
    private final SecretText secrets = SecretText.of(List.of(KEY, "short"));

    @Test
    void aSecretIsMaskedAsItIsAndInEachEncoding() {
        for (String encoded : List.of(KEY, "sk-proj-Ab\\/c+d\\\"e=f1234", URLEncoder.encode(KEY, StandardCharsets.UTF_8),
                URLEncoder.encode(KEY, StandardCharsets.UTF_8).replace("+", "%20"))) {
            assertThat(secrets.scrub("before " + encoded + " after")).isEqualTo("before " + SecretText.MASK + " after");
        }
    }

    @Test
    void aSecretInsideALongerBase64TextIsFoundAtEveryAlignment() {
        for (String prefix : List.of("", "a", "ab", "abc", "Bearer ")) {
            for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                String encoded = encoder.encodeToString((prefix + KEY + "-tail").getBytes(StandardCharsets.UTF_8));
                String scrubbed = secrets.scrub("token " + encoded);
                assertThat(scrubbed).as(prefix).contains(SecretText.MASK);
                byte[] decoded = decodeLeniently(scrubbed.substring(6));
                assertThat(new String(decoded, StandardCharsets.ISO_8859_1)).doesNotContain("proj-Ab");
            }
        }
    }

    private static byte[] decodeLeniently(String text) {
        String letters = text.replace(SecretText.MASK, "").replace('-', '+').replace('_', '/');
        return Base64.getDecoder().decode(letters.substring(0, letters.length() / 4 * 4));
    }

    @Test
    void bytesAreScrubbedInOnePassAndLeftAloneWhenClean() {
        byte[] clean = "{\"content\":\"nothing to see\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(secrets.scrub(clean)).isSameAs(clean);
        byte[] dirty = ("{\"a\":\"" + KEY + "\",\"b\":\"x" + KEY + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(secrets.scrub(dirty), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"****\",\"b\":\"x****\"}");
    }

    @Test
    void aSecretSpelledWithJsonEscapesIsMaskedWhereItStandsAndTheJsonStaysValid() {
        SecretText key = SecretText.of(List.of("sk-fixture-key"));
        String escaped = "{\"message\":\"echo sk\\u002dfixture\\u002d\\u006bey and \\u00e9t\\u00e9\"}";
        String scrubbed = key.scrub(escaped);
        assertThat(scrubbed).isEqualTo("{\"message\":\"echo **** and \\u00e9t\\u00e9\"}");
        assertThat(dev.llmgateway.json.Json.parseObject(scrubbed).getString("message")).isEqualTo("echo **** and \u00e9t\u00e9");
        assertThat(new String(key.scrub(escaped.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).isEqualTo(scrubbed);
        String clean = "{\"message\":\"caf\\u00e9 \\/ nothing C:\\\\Users \\u003c\"}";
        assertThat(key.scrub(clean)).isSameAs(clean);
        byte[] cleanBytes = clean.getBytes(StandardCharsets.UTF_8);
        assertThat(key.scrub(cleanBytes)).isSameAs(cleanBytes);
        SecretText slash = SecretText.of(List.of("/abcdefgh"));
        for (String text : List.of("{\"a\":\"\\\\/abcdefgh\"}", "{\"a\":\"x\\/abcdefgh\"}", "{\"a\":\"\\\\\\/abcdefgh\"}")) {
            String masked = slash.scrub(text);
            assertThat(masked).as(text).doesNotContain("abcdefgh").contains(SecretText.MASK);
            assertThat(dev.llmgateway.json.Json.parseObject(masked).getString("a")).as("a mask never leaves half an escape")
                    .doesNotContain("abcdefgh");
        }
    }

    @Test
    void shortValuesAreNotSearchedForTheyWouldMaskWords() {
        assertThat(secrets.scrub("a short answer")).isEqualTo("a short answer");
    }

    @Test
    void theConfigurationNamesEverySecretItHolds() {
        Map<String, String> properties = Map.of(
                "gateway.providers", "p",
                "gateway.provider.p.type", "openai",
                "gateway.provider.p.base-url", "https://api.example.com/v1?sig=url-signature-123",
                "gateway.provider.p.api-key", "sk-provider-key-1",
                "gateway.provider.p.header.x-org-token", "org-token-value-2",
                "gateway.tracing.headers", "authorization=Bearer trace-backend-3,x-other=plain-value-4",
                "gateway.ledger.password", "database-password-5");
        GatewaySettings settings = SettingsBinder.bind(new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(properties.get(name));
            }

            @Override
            public Iterable<String> names() {
                return properties.keySet();
            }
        });
        String text = String.join(" ", "sig=url-signature-123", "sk-provider-key-1", "org-token-value-2", "Bearer trace-backend-3",
                "plain-value-4", "database-password-5");
        assertThat(settings.secrets().scrub(text)).doesNotContainPattern("[a-z]+-[0-9]");
    }
}
