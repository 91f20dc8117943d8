package dev.llmgateway.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserGuardFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\"",
            "application/vnd.api+json"})
    void jsonIsJson(String type) {
        assertThat(BrowserGuardFilter.isJson(type)).isTrue();
    }

    /** What a browser may send without a preflight, and JSON in an encoding JSON does not use between systems. */
    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=latin1", "application/jsonx", "text/json", ""})
    void everythingElseIsNot(String type) {
        assertThat(BrowserGuardFilter.isJson(type)).isFalse();
        assertThat(BrowserGuardFilter.isJson(null)).isFalse();
    }
}
