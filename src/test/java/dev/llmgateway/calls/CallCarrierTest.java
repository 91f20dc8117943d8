package dev.llmgateway.calls;

import dev.llmgateway.testing.ServletFakes;
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

/** The hand-off of a call to its own thread: its state goes along, the filters' end work waits for its answer. */
class CallCarrierTest {

    private static final ThreadLocal<String> STATE = new ThreadLocal<>();

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

    private static Handoff state(String value) {
        return () -> {
            STATE.set(value);
            return STATE::remove;
        };
    }

    @Test
    void runsTheCallOnAnotherThreadWithTheRequestsStateThenEndsTheRequestThenCompletesIt() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        CountDownLatch mayAnswer = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread here = Thread.currentThread();

        new CallCarrier(Thread::new).carry(request, () -> List.of(state("caller-a")), () -> {
            seen.add(Thread.currentThread() == here ? "same thread" : "own thread");
            seen.add(STATE.get());
            await(mayAnswer);
            fake.events.add("answered");
        });
        // as a filter unwinding on the request thread while the call is still waiting
        RequestEnd.after(request, () -> fake.events.add("span ended"));
        assertThat(fake.events).containsExactly("startAsync");
        mayAnswer.countDown();

        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("own thread", "caller-a");
        assertThat(fake.events).containsExactly("startAsync", "answered", "span ended", "complete");
        assertThat(STATE.get()).isNull();
    }

    @Test
    void aCallDoneBeforeItsRequestThreadLeftIsCompletedByThatThreadOnItsWayOutNeverWhileItIsInside() {
        FakeRequest fake = new FakeRequest();
        // a call thread that has run the whole call before start() returns: the request thread is still dispatching
        java.util.concurrent.ThreadFactory instant = task -> new Thread(task) {
            @Override
            public synchronized void start() {
                task.run();
                fake.events.add("dispatch still under way");
            }
        };

        new CallCarrier(instant).carry(fake.request(), List::of, () -> fake.events.add("answered"));

        assertThat(fake.events).containsExactly("startAsync", "answered", "dispatch still under way", "complete");
    }

    @Test
    void endWorkRegisteredAfterTheCallAnsweredRunsAtOnce() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();

        new CallCarrier(Thread::new).carry(request, List::of, () -> fake.events.add("answered"));
        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        RequestEnd.after(request, () -> fake.events.add("counted"));

        assertThat(fake.events).containsExactly("startAsync", "answered", "complete", "counted");
    }

    @Test
    void aCallThatFailsUnexpectedlyStillEndsAndCompletesItsRequest() throws InterruptedException {
        FakeRequest fake = new FakeRequest();
        HttpServletRequest request = fake.request();
        RequestEnd.after(request, () -> fake.events.add("not deferred"));

        new CallCarrier(Thread::new).carry(request, () -> List.of(state("x")), () -> {
            throw new IllegalStateException("a bug");
        });
        RequestEnd.after(request, () -> fake.events.add("span ended"));

        assertThat(fake.completed.await(5, TimeUnit.SECONDS)).isTrue();
        // the span ends before the completion, or at once if the failed call was done first
        assertThat(fake.events).hasSize(4).startsWith("not deferred", "startAsync").contains("span ended", "complete");
    }

    @Test
    void withoutThreadsOrAsyncSupportTheCallRunsHereExactlyOnce() {
        AtomicInteger runs = new AtomicInteger();
        Thread here = Thread.currentThread();
        FakeRequest plain = new FakeRequest();
        new CallCarrier(null).carry(plain.request(), List::of, () -> runs.addAndGet(Thread.currentThread() == here ? 1 : 100));

        FakeRequest refused = new FakeRequest();
        refused.asyncRefused = true;
        new CallCarrier(Thread::new).carry(refused.request(), List::of, () -> runs.addAndGet(Thread.currentThread() == here ? 1 : 100));

        assertThat(runs).hasValue(2);
        assertThat(plain.events).isEmpty();
        assertThat(refused.attributes).isEmpty();
    }

    @Test
    void theOnThreadHookRunsExactlyOnceOnEveryPathEvenWhenTheCallCannotBeCarriedOrResumed() throws InterruptedException {
        AtomicInteger hooks = new AtomicInteger();
        Runnable hook = hooks::incrementAndGet;

        new CallCarrier(null).carry(new FakeRequest().request(), List::of, hook, () -> { });
        FakeRequest refused = new FakeRequest();
        refused.asyncRefused = true;
        new CallCarrier(Thread::new).carry(refused.request(), List::of, hook, () -> { });
        assertThat(hooks).hasValue(2);

        // the state cannot be captured: nothing is carried, and the hook has run
        assertThatThrownBy(() -> new CallCarrier(Thread::new).carry(new FakeRequest().request(), () -> {
            throw new IllegalStateException("capture failed");
        }, hook, () -> { })).hasMessage("capture failed");
        assertThat(hooks).hasValue(3);

        // the state cannot be resumed on the call's thread: the call does not run, the hook has
        FakeRequest unresumable = new FakeRequest();
        AtomicInteger calls = new AtomicInteger();
        new CallCarrier(Thread::new).carry(unresumable.request(), () -> List.<Handoff>of(() -> {
            throw new IllegalStateException("resume failed");
        }), hook, calls::incrementAndGet);
        assertThat(unresumable.completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(hooks).hasValue(4);
        assertThat(calls).hasValue(0);

        // carried: the hook runs on the call's thread, before the call
        FakeRequest carried = new FakeRequest();
        List<String> order = new CopyOnWriteArrayList<>();
        Thread here = Thread.currentThread();
        new CallCarrier(Thread::new).carry(carried.request(), List::of,
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
