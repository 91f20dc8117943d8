package dev.llmgateway.inference;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.provider.ProviderException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ModelInferenceTest {

    private static final ProviderSettings.Retries RETRIES = new ProviderSettings.Retries(3, Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void backsOffExponentiallyWithJitterUpToTheCap() {
        ProviderException failure = new ProviderException("p", ProviderException.Reason.SERVER_ERROR, "x", null);
        for (int i = 0; i < 50; i++) {
            assertThat(ModelInference.backoff(RETRIES, 0, failure)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
            assertThat(ModelInference.backoff(RETRIES, 2, failure)).isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
            assertThat(ModelInference.backoff(RETRIES, 10, failure)).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void honoursRetryAfterUnlessItAsksForTooLong() {
        assertThat(ModelInference.backoff(RETRIES, 0, rateLimited(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ModelInference.backoff(RETRIES, 0, rateLimited(Duration.ofSeconds(30)))).isNull();
    }

    @Test
    void inferenceIdsAreTimeOrderedVersion7Uuids() {
        String first = InferenceIds.next();
        String second = InferenceIds.next();
        assertThat(UUID.fromString(first).version()).isEqualTo(7);
        assertThat(UUID.fromString(first).variant()).isEqualTo(2);
        assertThat(first.substring(0, 13)).isLessThanOrEqualTo(second.substring(0, 13));
        assertThat(first).isNotEqualTo(second);
    }

    private static ProviderException rateLimited(Duration retryAfter) {
        return new ProviderException("p", ProviderException.Reason.RATE_LIMITED, 429, "slow down", retryAfter, null);
    }
}
