package dev.llmgateway.provider;

import dev.llmgateway.provider.ProviderException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamFailuresTest {

    @ParameterizedTest
    @CsvSource({"400,REQUEST_REJECTED", "404,REQUEST_REJECTED", "422,REQUEST_REJECTED", "401,AUTHENTICATION", "403,AUTHENTICATION",
            "408,SERVER_ERROR", "429,RATE_LIMITED", "500,SERVER_ERROR", "503,SERVER_ERROR"})
    void classifiesStatuses(int status, Reason reason) {
        assertThat(UpstreamFailures.reasonFor(status)).isEqualTo(reason);
        assertThat(reason.retryable()).isEqualTo(reason != Reason.REQUEST_REJECTED);
    }

    @Test
    void quotesTheUpstreamsOwnErrorMessage() {
        ProviderException e = UpstreamFailures.status("openai", 400, null, bytes("{\"error\":{\"message\":\"bad  max_tokens\"}}"));

        assertThat(e.getMessage()).isEqualTo("provider 'openai' answered HTTP 400: bad max_tokens");
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void neverQuotesWhatAnUpstreamSaysAboutTheKey() {
        ProviderException e = UpstreamFailures.status("openai", 401, null, bytes("{\"error\":{\"message\":\"Incorrect API key provided: sk-abc\"}}"));

        assertThat(e.getMessage()).doesNotContain("sk-abc").contains("credentials");
    }

    @Test
    void cutsLongHtmlErrorPages() {
        ProviderException e = UpstreamFailures.status("p", 502, null, bytes("<html>" + "x".repeat(2000) + "</html>"));

        assertThat(e.getMessage().length()).isLessThan(400);
    }

    @Test
    void readsRetryAfterInSecondsOrAsADate() {
        assertThat(UpstreamFailures.retryAfter("12")).isEqualTo(Duration.ofSeconds(12));
        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(60));
        assertThat(UpstreamFailures.retryAfter(inOneMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
        assertThat(UpstreamFailures.retryAfter("soon")).isNull();
        assertThat(UpstreamFailures.status("p", 429, "3", new byte[0]).retryAfter()).contains(Duration.ofSeconds(3));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
