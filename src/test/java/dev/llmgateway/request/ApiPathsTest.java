package dev.llmgateway.request;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ApiPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat/completions", "/%76%31/chat/completions", "/%76%31/%63hat/completions", "/v1%2Fchat%2fcompletions",
            "/v1/chat/completions/", "//v1/chat/completions", "/v1//chat///completions", "/./v1/chat/completions", "/x/../v1/chat/completions",
            "/v1/chat/../chat/completions", "/v1;a=b/chat/completions", "/v1/chat/completions;jsessionid=abc", "/v1/chat;x/completions",
            "/v1/chat/completions?x=1", "/%2e/v1/chat/completions", "/v1/%2e%2e/v1/chat/completions", "/v1\\chat\\completions",
            "/v1/chat/completions/.", "v1/chat/completions", "/gateway/v1/chat/completions", "/v1/chat/completions#x"})
    void everySpellingOfTheChatPathIsAnInference(String spelling) {
        assertThat(ApiPaths.isInference(ApiPaths.normalise(spelling))).as(spelling).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models", "/v1/models/", "/%76%31/%6dodels", "/v1/models/dummy", "/v1//models;x/gpt-4o"})
    void modelPathsAreModels(String spelling) {
        String path = ApiPaths.normalise(spelling);
        assertThat(ApiPaths.isModels(path)).as(spelling).isTrue();
        assertThat(ApiPaths.isInference(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/metrics", "/v1/chat", "/v1/chat/completions/x", "/v1/chat/completionsx", "/"})
    void otherPathsAreNeither(String path) {
        assertThat(ApiPaths.isInference(ApiPaths.normalise(path))).as(path).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../../v1/chat/completions", "/%2e%2e/%2e%2e/v1/chat/completions"})
    void dotSegmentsNeverClimbAboveTheRoot(String path) {
        assertThat(ApiPaths.normalise(path)).isEqualTo("/v1/chat/completions");
    }
}
