package dev.llmgateway.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** An error in Anthropic's shape: the type Anthropic gives its status, an Anthropic upstream's own kept, the field named first. */
class ApiErrorTest {

    @Test
    void anthropicsShapeNamesTheTypeForTheStatusAndTheFieldInTheMessage() {
        ApiError missing = ApiError.invalidRequest("you must provide a model parameter", "model");
        assertThat(new String(missing.toAnthropicJson("01a2-id"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"model: you must provide a model parameter\"},\"request_id\":\"01a2-id\"}");

        assertThat(new ApiError(401, ApiError.INVALID_REQUEST, "invalid_api_key", null, "no key", null).anthropicType()).isEqualTo("authentication_error");
        assertThat(new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model", "no model", null).anthropicType()).isEqualTo("not_found_error");
        assertThat(new ApiError(429, "rate_limit_error", "gateway_overloaded", null, "busy", null).anthropicType()).isEqualTo("rate_limit_error");
        assertThat(new ApiError(502, "api_error", "upstream_error", null, "down", null).anthropicType()).isEqualTo("api_error");
        assertThat(new ApiError(504, "timeout_error", "upstream_timeout", null, "slow", null).anthropicType()).isEqualTo("timeout_error");
        assertThat(new ApiError(529, "overloaded_error", null, null, "overloaded", null).anthropicType()).isEqualTo("overloaded_error");
        assertThat(new ApiError(400, "server_error", null, null, "odd", null).anthropicType()).isEqualTo("invalid_request_error");
        assertThat(new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null, "big", null).anthropicType()).isEqualTo("request_too_large");
    }

    @Test
    void droppedFieldNamesAreBoundedWhateverTheClientNamedThem() {
        RequestState state = RequestState.detached();
        state.dropped("metadata");
        state.dropped("x\r\nSet-Cookie: a=b");
        state.dropped("y".repeat(100));
        for (int i = 0; i < 100; i++) {
            state.dropped("tools[" + i + "]");
        }
        assertThat(state.droppedFields()).contains("metadata", "(a field with another name)").hasSize(32)
                .allMatch(name -> name.length() <= 64 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f));
    }
}
