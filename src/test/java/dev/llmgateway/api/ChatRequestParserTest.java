package dev.llmgateway.api;

import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChatRequestParserTest {

    @Test
    void readsModelStreamAndUsageOption() {
        ClientRequest request = parse("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0.2}");

        assertThat(request.model()).isEqualTo("gpt");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.body().getJsonNumber("temperature").doubleValue()).isEqualTo(0.2);
    }

    @Test
    void streamAndUsageDefaultToOff() {
        ClientRequest request = parse("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":null}");

        assertThat(request.stream()).isFalse();
        assertThat(request.includeUsage()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty body||",
            "not JSON|{model:|",
            "truncated|{\"model\":\"gpt\",\"messages\":[|",
            "an array|[1,2]|",
            "missing model|{\"messages\":[{\"role\":\"user\"}]}|model",
            "null model|{\"model\":null,\"messages\":[{\"role\":\"user\"}]}|model",
            "numeric model|{\"model\":5,\"messages\":[{\"role\":\"user\"}]}|model",
            "blank model|{\"model\":\" \",\"messages\":[{\"role\":\"user\"}]}|model",
            "missing messages|{\"model\":\"gpt\"}|messages",
            "empty messages|{\"model\":\"gpt\",\"messages\":[]}|messages",
            "messages not a list|{\"model\":\"gpt\",\"messages\":\"hi\"}|messages",
            "message without role|{\"model\":\"gpt\",\"messages\":[{\"content\":\"hi\"}]}|messages[0]",
            "stream not boolean|{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}|stream",
            "usage option not boolean|{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\"}],\"stream_options\":{\"include_usage\":1}}|stream_options.include_usage",
            "stream options not an object|{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\"}],\"stream_options\":true}|stream_options",
    })
    void refusesWithA400NamingTheParameter(String name, String body, String param) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> parse(body == null ? "" : body));

        assertThat(refused.error().status()).isEqualTo(400);
        assertThat(refused.error().type()).isEqualTo("invalid_request_error");
        assertThat(refused.error().param()).isEqualTo(param);
    }

    @Test
    void toolCallArgumentsAreMeasuredAndChargedLikeTheBody() {
        String deep = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\""
                + "[".repeat(100) + "\"}}]}]}";
        String many = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":["
                + "[0],".repeat(5_000) + "0]}\"}}]}]}";

        assertThat(catchThrowableOfType(ApiException.class, () -> parse(deep)).error().param()).isEqualTo("messages[0].tool_calls[0].function.arguments");
        assertThat(catchThrowableOfType(ApiException.class, () -> parse(many)).error().param()).isEqualTo("messages[0].tool_calls[0].function.arguments");
        MemoryBudget budget = new MemoryBudget(64 << 20);
        try (Reservation memory = budget.open()) {
            parse(many, new RequestLimits(1 << 20, 64, 100_000, 64 << 20), memory);
            assertThat(budget.inUse()).as("the arguments' 10,000 values are charged").isGreaterThan(10_000L * RequestLimits.BYTES_PER_VALUE);
        }
    }

    @Test
    void toolCallArgumentsAModelWroteAreCarriedAsTheyCameEvenWhenNotStrictJson() {
        String arguments = "{\\\"city\\\":\\\"Paris\\\"}{\\\"city\\\":\\\"London\\\"}";
        ClientRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"" + arguments + "\"}}]},{\"role\":\"tool\","
                + "\"tool_call_id\":\"c\",\"content\":\"ok\"}]}");
        assertThat(request.body().toString()).contains("London");
    }

    private static ClientRequest parse(String body) {
        try (Reservation memory = new MemoryBudget(1 << 20).open()) {
            return parse(body, new RequestLimits(1 << 16, 64, 1000, 1 << 20), memory);
        }
    }

    private static ClientRequest parse(String body, RequestLimits limits, Reservation memory) {
        return ChatRequestParser.parse(RequestReader.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), -1, limits, memory),
                limits, memory);
    }
}
