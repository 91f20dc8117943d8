package dev.llmgateway.auth;

import dev.llmgateway.config.AuthSettings;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {

    @Test
    void findsTheNameOfTheKeyByItsDigestOnly() {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        digests.put("team-a", ApiKeys.sha256("gw-alpha"));
        digests.put("team-b", ApiKeys.sha256("gw-beta"));
        ApiKeys keys = new ApiKeys(AuthSettings.ofDigests(digests, false));

        assertThat(keys.nameOf("gw-beta")).contains("team-b");
        assertThat(keys.nameOf("gw-alpha")).contains("team-a");
        assertThat(keys.nameOf("gw-alph")).isEmpty();
        assertThat(keys.nameOf("")).isEmpty();
        assertThat(keys.nameOf(null)).isEmpty();
        assertThat(AuthSettings.ofDigests(digests, false).toString()).doesNotContain("gw-").contains("team-a");
    }
}
