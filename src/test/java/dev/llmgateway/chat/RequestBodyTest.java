package dev.llmgateway.chat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestBodyTest {

    @Test
    void readsABodyUpToTheLimit() {
        assertThat(RequestBody.read(new ByteArrayInputStream(new byte[100]), -1, 100)).hasSize(100);
        assertThat(RequestBody.read(new ByteArrayInputStream(new byte[5000]), 5000, 10_000)).hasSize(5000);
    }

    @Test
    void refusesABodyOverTheLimitWhetherDeclaredOrNot() {
        ApiException declared = catchThrowableOfType(ApiException.class,
                () -> RequestBody.read(new ByteArrayInputStream(new byte[0]), 101, 100));
        ApiException chunked = catchThrowableOfType(ApiException.class,
                () -> RequestBody.read(new ByteArrayInputStream(new byte[10_001]), -1, 10_000));

        assertThat(declared.error().status()).isEqualTo(413);
        assertThat(chunked.error().status()).isEqualTo(413);
        assertThat(chunked.error().code()).isEqualTo("request_too_large");
    }
}
