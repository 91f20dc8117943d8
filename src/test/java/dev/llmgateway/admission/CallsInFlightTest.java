package dev.llmgateway.admission;

import dev.llmgateway.testing.GatewayCounters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CallsInFlightTest {

    @Test
    void admitsUpToTheLimitThenRefusesUntilACallLeaves() {
        CallsInFlight calls = new CallsInFlight(3);
        double refusedBefore = GatewayCounters.sum("gateway_overload_refusals", "reason", "calls_in_flight");

        assertThat(List.of(calls.tryEnter(), calls.tryEnter(), calls.tryEnter(), calls.tryEnter())).containsExactly(true, true, true, false);
        calls.leave();

        assertThat(calls.tryEnter()).isTrue();
        assertThat(calls.inFlight()).isEqualTo(3);
        assertThat(GatewayCounters.sum("gateway_overload_refusals", "reason", "calls_in_flight") - refusedBefore).isEqualTo(1);
    }

    @Test
    void neverAdmitsMoreThanTheLimitWhenManyThreadsRaceForTheLastPlaces() throws InterruptedException {
        CallsInFlight calls = new CallsInFlight(50);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread racer = new Thread(() -> {
                await(start);
                for (int j = 0; j < 100; j++) {
                    if (calls.tryEnter()) {
                        admitted.incrementAndGet();
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

        assertThat(admitted).hasValue(50);
        assertThat(calls.inFlight()).isEqualTo(50);
    }

    @Test
    void admitsRequestsOnTheirRequestThreadOnlyWhileAPlaceIsFreeAndAtMostTwiceTheLimitAreStillSendingBodies() {
        CallsInFlight calls = new CallsInFlight(2);
        double refusedBefore = GatewayCounters.sum("gateway_overload_refusals", "reason", "calls_in_flight");

        // four admitted requests still sending their bodies: the fifth waits for none of them
        assertThat(List.of(calls.tryAdmit(), calls.tryAdmit(), calls.tryAdmit(), calls.tryAdmit(), calls.tryAdmit()))
                .containsExactly(true, true, true, true, false);
        calls.release();
        assertThat(calls.tryAdmit()).isTrue();

        // once the places are taken by calls, nothing more is admitted, however few bodies are on their way
        assertThat(calls.tryEnter()).isTrue();
        assertThat(calls.tryEnter()).isTrue();
        calls.release();
        calls.release();
        assertThat(calls.tryAdmit()).as("both places taken").isFalse();
        calls.leave();
        assertThat(calls.tryAdmit()).as("a place left").isTrue();

        assertThat(GatewayCounters.sum("gateway_overload_refusals", "reason", "calls_in_flight") - refusedBefore).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
