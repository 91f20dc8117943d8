package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The estimate for models without a count of their own: o200k_base over the request's text, plus its framing. */
class TokenEstimateTest {

    @Test
    void countsSystemMessagesToolCallsResultsAndToolsWithTheirFraming() {
        assertThat(TokenEstimate.inputTokens(Json.parseObject("{\"system\":\"You are a helpful assistant.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"The quick brown fox jumps over the lazy dog.\"}]}")))
                .as("6 tokens of system text, 10 of the message, 3 for the request, 3 for the message").isEqualTo(22);

        long withTools = TokenEstimate.inputTokens(Json.parseObject("""
                {"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
                 "messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"get_weather","input":{"city":"Paris"}}]},
                             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"sunny"},{"type":"image","source":{}}]}]}"""));
        assertThat(withTools).isGreaterThan(1_000).isLessThan(1_100);
        assertThat(TokenEstimate.inputTokens(Json.parseObject("{\"messages\":[]}"))).isEqualTo(3);
    }
}
