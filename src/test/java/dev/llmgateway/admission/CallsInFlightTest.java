package dev.llmgateway.admission;

import dev.llmgateway.events.CallRefused;
import dev.llmgateway.testing.RecordedEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CallsInFlightTest {

    @Test
    void admitsUpToTheLimitThenRefusesUntilACallLeaves() {
        RecordedEvents recorded = new RecordedEvents();
        CallsInFlight calls = new CallsInFlight(3, recorded.events());

        assertThat(List.of(calls.tryEnter(), calls.tryEnter(), calls.tryEnter(), calls.tryEnter())).containsExactly(true, true, true, false);
        calls.leave();

        assertThat(calls.tryEnter()).isTrue();
        assertThat(calls.inFlight()).isEqualTo(3);
        assertThat(recorded.of(CallRefused.class)).containsExactly(new CallRefused(CallRefused.Reason.CALLS_IN_FLIGHT));
    }

    @Test
    void neverAdmitsMoreThanTheLimitWhenManyThreadsRaceForTheLastPlaces() throws InterruptedException {
        CallsInFlight calls = new CallsInFlight(50);

        assertThat(race(calls::tryEnter)).isEqualTo(50);
        assertThat(calls.inFlight()).isEqualTo(50);
    }

    @Test
    void admitsRequestsOnlyWhileAPlaceIsFreeAndNoMoreThanTheLimitWaitForTheirThread() {
        RecordedEvents recorded = new RecordedEvents();
        CallsInFlight calls = new CallsInFlight(2, recorded.events());

        // two admitted requests whose threads have not run: the third is refused
        CallsInFlight.Admission first = calls.tryAdmit();
        CallsInFlight.Admission second = calls.tryAdmit();
        assertThat(List.of(first != null, second != null, calls.tryAdmit() != null)).containsExactly(true, true, false);
        first.started();
        first.started(); // once only, whoever calls it again
        assertThat(calls.waiting()).isEqualTo(1);

        // a thread that runs then reads a slow body holds nothing: another is admitted
        CallsInFlight.Admission third = calls.tryAdmit();
        assertThat(third).isNotNull();
        second.started();
        third.started();
        assertThat(calls.waiting()).isZero();

        // once the places are taken by calls, nothing more is admitted
        assertThat(calls.tryEnter()).isTrue();
        assertThat(calls.tryEnter()).isTrue();
        assertThat(calls.tryAdmit()).as("both places taken").isNull();
        calls.leave();
        assertThat(calls.tryAdmit()).as("a place left").isNotNull();

        assertThat(recorded.of(CallRefused.class)).containsExactly(new CallRefused(CallRefused.Reason.CALLS_WAITING),
                new CallRefused(CallRefused.Reason.CALLS_IN_FLIGHT));
    }

    @Test
    void neverMoreWaitingThanTheLimitWhenManyRequestThreadsRace() throws InterruptedException {
        CallsInFlight calls = new CallsInFlight(40);

        assertThat(race(() -> calls.tryAdmit() != null)).isEqualTo(40);
        assertThat(calls.waiting()).isEqualTo(40);
    }

    /** How many of 16 threads × 100 attempts, started together, succeed. */
    private static int race(java.util.function.BooleanSupplier attempt) throws InterruptedException {
        AtomicInteger succeeded = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread racer = new Thread(() -> {
                await(start);
                for (int j = 0; j < 100; j++) {
                    if (attempt.getAsBoolean()) {
                        succeeded.incrementAndGet();
                    }
                }
            });
            racer.start();
            racers.add(racer);
        }
        start.countDown();
        for (Thread racer : racers) {
            racer.join();
        }
        return succeeded.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
