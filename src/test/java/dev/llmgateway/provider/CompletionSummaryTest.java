package dev.llmgateway.provider;

import jakarta.json.JsonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletionSummaryTest {

    @Test
    void readsIdModelFinishReasonsAndEveryTokenCount() {
        CompletionSummary summary = CompletionSummary.read("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"finish_reason\\":\\"x\\"}",
                             "tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]},"logprobs":null,"finish_reason":"stop"},
                            {"index":1,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":25,"completion_tokens":8,"total_tokens":33,
                          "prompt_tokens_details":{"cached_tokens":16,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":0}},
                 "system_fingerprint":"fp_1"}""");

        assertThat(summary).isEqualTo(new CompletionSummary("chatcmpl-1", "gpt-4o-mini-2024-07-18", List.of("stop", "length"),
                new Usage(25, 8, 16, 4)));
    }

    @Test
    void whatTheAnswerLeavesOutOrGivesInAnotherShapeIsUnknown() {
        CompletionSummary summary = CompletionSummary.read("""
                {"id":7,"model":null,"choices":[[],"x",{"finish_reason":null}],
                 "usage":{"prompt_tokens":2.5,"completion_tokens":"8","prompt_tokens_details":[16]}}""");

        assertThat(summary).isEqualTo(new CompletionSummary(null, null, List.of(), Usage.UNKNOWN));
        assertThat(CompletionSummary.read("{}").usage()).isEqualTo(Usage.UNKNOWN);
    }

    @Test
    void aRepeatedFieldCountsAsItsLastValueAsInATree() {
        CompletionSummary summary = CompletionSummary.read("""
                {"id":"a","choices":[{"finish_reason":"stop"}],"id":"b","choices":[{"finish_reason":"length"}]}""");

        assertThat(summary.id()).isEqualTo("b");
        assertThat(summary.finishReasons()).containsExactly("length");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "[1]", "\"text\"", "{\"id\":\"a\"", "{\"id\":\"a\"} {}", "{\"id\":\"a\"}]",
            // broken inside a part the summary does not read: the client must not get it either
            "{\"choices\":[{\"message\":{\"content\" \"Hi\"}}]}", "{\"choices\":[{\"message\":{\"content\":\"Hi\",}}]}",
            "{\"id\":\"chatcmpl-bad\",\"choices\":[{\"message\":{\"content\":\"Hi\"}"})
    void whatIsNotExactlyOneJsonObjectIsRefused(String text) {
        assertThatThrownBy(() -> CompletionSummary.read(text)).isInstanceOf(JsonException.class);
    }
}
