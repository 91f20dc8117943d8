package dev.llmgateway.request;

import dev.llmgateway.testing.ServletFakes;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The two ends of a request: its end work once answered, its listeners once complete, each exactly once and in order. */
class RequestStateTest {

    private final List<String> done = new CopyOnWriteArrayList<>();
    private final List<Runnable> handedElsewhere = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private RequestState open() {
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = ServletFakes.request((proxy, method, args) -> switch (method.getName()) {
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getAttribute" -> attributes.get((String) args[0]);
            default -> null;
        });
        RequestState state = RequestState.open(request, handedElsewhere::add, failures::add);
        assertThat(RequestState.of(request)).isSameAs(state);
        return state;
    }

    @Test
    void endWorkRunsWhenAnsweredAndListenersWhenCompleteInTheOrderRegistered() {
        RequestState state = open();
        state.afterCompletion(() -> done.add("told first"));
        state.afterAnswer(() -> done.add("span ended"));
        state.afterCompletion(() -> done.add("told second"));

        state.answered();
        assertThat(done).containsExactly("span ended");
        state.completed();
        state.completed();
        assertThat(done).containsExactly("span ended", "told first", "told second");
        assertThat(handedElsewhere).isEmpty();
    }

    @Test
    void workThatThrowsIsHandedOverAndTheRestStillRuns() {
        RequestState state = open();
        state.afterAnswer(() -> {
            throw new IllegalStateException("end work failed");
        });
        state.afterAnswer(() -> done.add("span ended"));
        state.afterCompletion(() -> {
            throw new IllegalStateException("listener failed");
        });
        state.afterCompletion(() -> done.add("told"));

        state.completed();

        assertThat(done).containsExactly("span ended", "told");
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("end work failed", "listener failed");
    }

    @Test
    void listenersOfARequestCompletedOnItsOwnThreadOrLateRunElsewhere() {
        RequestState state = open();
        state.afterCompletion(() -> done.add("told"));

        state.completedElsewhere();
        assertThat(done).as("not on the thread still inside the dispatch").isEmpty();
        state.afterCompletion(() -> done.add("told late"));
        assertThat(handedElsewhere).hasSize(2);

        handedElsewhere.forEach(Runnable::run);
        assertThat(done).containsExactly("told", "told late");
    }
}
