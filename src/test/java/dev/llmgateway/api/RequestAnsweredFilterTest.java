package dev.llmgateway.api;

import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.testing.ServletFakes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestAnsweredFilterTest {

    @Test
    void endpointsAreAFixedFewWhateverThePath() {
        assertThat(RequestAnsweredFilter.endpoint("/v1/chat/completions")).isEqualTo("chat_completions");
        assertThat(RequestAnsweredFilter.endpoint("/v1/embeddings")).isEqualTo("embeddings");
        assertThat(RequestAnsweredFilter.endpoint("/v1/completions")).isEqualTo("completions");
        assertThat(RequestAnsweredFilter.endpoint("/v1/models/gpt-4o")).isEqualTo("models");
        assertThat(RequestAnsweredFilter.endpoint("/v1/responses/resp_1/input_items")).isEqualTo("responses_stored");
        assertThat(RequestAnsweredFilter.endpoint("/v1/messages")).isEqualTo("messages");
        assertThat(RequestAnsweredFilter.endpoint("/v1/messages/count_tokens")).isEqualTo("messages_count_tokens");
        assertThat(RequestAnsweredFilter.endpoint("/v1/messages/batches")).isEqualTo("other");
        assertThat(RequestAnsweredFilter.endpoint("/v1/anything/" + "x".repeat(50))).isEqualTo("other");
    }

    /** The container answers an escaped failure with 500 after the filters returned, while the response still says 200. */
    @Test
    void aFailureEscapingTheChainIsAnnouncedAs500OnceTheRequestIsAnswered() {
        List<RequestAnswered> told = new CopyOnWriteArrayList<>();
        RequestAnsweredFilter filter = new RequestAnsweredFilter();
        filter.events = new GatewayEvents(List.of(new GatewayListener() {
            @Override
            public void requestAnswered(RequestAnswered request) {
                told.add(request);
            }
        }));
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = ServletFakes.request((proxy, method, args) -> switch (method.getName()) {
            case "getServletPath" -> "/v1/chat/completions";
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getAttribute" -> attributes.get((String) args[0]);
            default -> null;
        });
        HttpServletResponse response = ServletFakes.response((proxy, method, args) -> method.getName().equals("getStatus") ? 200 : null);
        RequestState state = RequestState.open(request, Runnable::run, failure -> { });
        state.authenticatedAs("team-a");
        FilterChain failing = (req, res) -> {
            throw new IllegalStateException("a bug");
        };

        assertThatThrownBy(() -> filter.doFilter(request, response, failing)).isInstanceOf(IllegalStateException.class);
        assertThat(told).as("held until the answer is out").isEmpty();
        state.answered();
        assertThat(told).as("held until the exchange is complete").isEmpty();
        state.completed();

        assertThat(told).singleElement().satisfies(answered -> {
            assertThat(answered.status()).isEqualTo(500);
            assertThat(answered.endpoint()).isEqualTo("chat_completions");
            assertThat(answered.keyName()).isEqualTo("team-a");
        });
    }
}
