package dev.llmgateway.calls;

import dev.llmgateway.events.UnexpectedFailure;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.testing.RecordedEvents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import dev.llmgateway.testing.ServletFakes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-off of a call to its own thread: its context goes along, the end work waits for its answer, the listeners for its completion. */
class CallCarrierTest {

    private static final ContextKey<String> TRACE = ContextKey.named("trace");

    /** A request that records what the carrier does to it; {@code asyncRefused} as behind a filter without async support. */
    private static final class FakeRequest {
        final Map<String, Object> attributes = new HashMap<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        boolean asyncRefused;

        HttpServletRequest request() {
            AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{AsyncContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("complete")) {
                            events.add("complete");
                            completed.countDown();
                        }
                        return null;
                    });
            return ServletFakes.request((proxy, method, args) -> switch (method.getName()) {
                case "startAsync" -> {
                    if (asyncRefused) {
                        throw new IllegalStateException("a filter does not support async");
                    }
                    events.add("startAsync");
                    yield async;
                }
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "getAttribute" -> attributes.get((String) args[0]);
                default -> null;
            });
        }
    }

    /** The request's state as the first filter makes it, and a context current on the request thread carrying {@code trace}. */
    private static RequestState state(HttpServletRequest request) {
        return RequestState.open(request, Runnable::run, failure -> { });
    }

    @Test
    void runsTheCallOnAnotherThreadWithTheRequestsStateThenEndsTheRequestThenCompletesIt() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        CountDownLatch mayAnswer = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread here = Thread.currentThread();

        RequestState state = state(request);
        state.authenticatedAs("caller-a");
        try (Scope ignored = Context.root().with(TRACE, "trace-1").makeCurrent()) {
            new CallCarrier(Thread::new).carry(request, () -> {
                seen.add(Thread.currentThread() == here ? "same thread" : "own thread");
                seen.add(Context.current().get(TRACE));
                seen.add(RequestState.callerKeyName());
                await(mayAnswer);
                fake.events.add("answered");
            });
        }
        // as a filter unwinding on the request thread while the call is still waiting, and a listener's event
        state.afterAnswer(() -> fake.events.add("span ended"));
        CountDownLatch told = new CountDownLatch(1);
        state.afterCompletion(() -> {
            fake.events.add("told");
            told.countDown();
        });
        state.dispatchLeft();
        assertThat(fake.events).containsExactly("startAsync");
        mayAnswer.countDown();

        assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("own thread", "trace-1", "caller-a");
        assertThat(fake.events).containsExactly("startAsync", "answered", "span ended", "complete", "told");
        assertThat(RequestState.current()).isNull();
    }

    @Test
    void aCallTouchesItsExchangeOnlyOnceItsRequestThreadHasLeftTheFirstFilterAndIsDone() throws Exception {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        RequestState state = state(request);
        new CallCarrier(Thread::new).carry(request, () -> fake.events.add("answered"));
        Thread.sleep(50);
        fake.events.add("filters unwound");
        assertThat(fake.events).as("nothing read, answered or completed while the request thread is inside the first filter")
                .containsExactly("startAsync", "filters unwound");
        state.dispatchLeft();

        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fake.events).containsExactly("startAsync", "filters unwound", "answered", "complete");
    }

    @Test
    void endWorkRegisteredAfterTheCallAnsweredRunsAtOnce() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();

        RequestState state = state(request);
        new CallCarrier(Thread::new).carry(request, () -> fake.events.add("answered"));
        state.dispatchLeft();
        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        state.afterAnswer(() -> fake.events.add("counted"));

        assertThat(fake.events).containsExactly("startAsync", "answered", "complete", "counted");
    }

    @Test
    void aCallThatFailsUnexpectedlyStillEndsAndCompletesItsRequest() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        RequestState state = state(request);
        state.afterAnswer(() -> fake.events.add("registered before"));

        new CallCarrier(Thread::new).carry(request, () -> {
            throw new IllegalStateException("a bug");
        });
        state.afterAnswer(() -> fake.events.add("span ended"));
        state.dispatchLeft();

        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        // the span ends before the completion, or at once if the failed call was done first
        assertThat(fake.events).hasSize(4).startsWith("startAsync").contains("registered before", "span ended", "complete");
    }

    @Test
    void aCallThatFailsUnexpectedlyIsReportedWithItsRequestsTrace() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        RequestState state = state(request);
        RecordedEvents recorded = new RecordedEvents();
        CallCarrier carrier = new CallCarrier(Thread::new);
        carrier.events = recorded.events();
        SpanContext trace = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

        try (Scope ignored = Context.root().with(Span.wrap(trace)).makeCurrent()) {
            carrier.carry(request, () -> {
                throw new IllegalStateException("a bug");
            });
        }
        state.dispatchLeft();

        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        // told once the exchange is complete, on the call's thread
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorded.of(UnexpectedFailure.class).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(recorded.of(UnexpectedFailure.class)).singleElement().satisfies(failure -> {
            assertThat(failure.failure()).hasMessage("a bug");
            assertThat(failure.trace()).isEqualTo(trace);
        });
    }

    @Test
    void withoutThreadsOrAsyncSupportTheCallRunsHereExactlyOnce() {
        AtomicInteger runs = new AtomicInteger();
        Thread here = Thread.currentThread();
        FakeRequest plain = new FakeRequest();
        new CallCarrier(null).carry(plain.request(), () -> runs.addAndGet(Thread.currentThread() == here ? 1 : 100));

        FakeRequest refused = new FakeRequest();
        refused.asyncRefused = true;
        new CallCarrier(Thread::new).carry(refused.request(), () -> runs.addAndGet(Thread.currentThread() == here ? 1 : 100));

        assertThat(runs).hasValue(2);
        assertThat(plain.events).isEmpty();
        assertThat(refused.attributes).isEmpty();
    }

    @Test
    void theOnThreadHookRunsExactlyOnceOnEveryPathEvenWhenTheCallCannotBeCarriedOrResumed() throws InterruptedException {
        AtomicInteger hooks = new AtomicInteger();
        Runnable hook = hooks::incrementAndGet;

        new CallCarrier(null).carry(new FakeRequest().request(), hook, () -> { });
        FakeRequest refused = new FakeRequest();
        refused.asyncRefused = true;
        new CallCarrier(Thread::new).carry(refused.request(), hook, () -> { });
        assertThat(hooks).hasValue(2);

        // the request cannot go asynchronous for another reason: nothing is carried, and the hook has run
        HttpServletRequest broken = ServletFakes.request((proxy, method, args) -> {
            if (method.getName().equals("startAsync")) {
                throw new UnsupportedOperationException("broken container");
            }
            return null;
        });
        assertThatThrownBy(() -> new CallCarrier(Thread::new).carry(broken, hook, () -> { })).hasMessage("broken container");
        assertThat(hooks).hasValue(3);

        // carried: the hook runs on the call's thread, before the call
        FakeRequest carried = new FakeRequest();
        List<String> order = new CopyOnWriteArrayList<>();
        Thread here = Thread.currentThread();
        new CallCarrier(Thread::new).carry(carried.request(),
                () -> order.add(Thread.currentThread() == here ? "hook here" : "hook on the call's thread"), () -> order.add("call"));
        assertThat(carried.completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("hook on the call's thread", "call");
    }

    @Test
    void virtualThreadsAreFoundOnJava21AndLater() throws ReflectiveOperationException {
        Thread thread = CallThreads.virtual().orElseThrow().newThread(() -> { });
        assertThat(thread.getName()).startsWith("gateway-call-");
        assertThat(Thread.class.getMethod("isVirtual").invoke(thread)).isEqualTo(true);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
