package dev.llmgateway.calls;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A completion from another thread waits for the request thread to be done with the dispatch, and no longer. */
class DispatchThreadTest {

    @Test
    void waitsWhileTheRequestThreadStillRunsTheSameDispatch() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<DispatchThread> seen = new AtomicReference<>();
        CountDownLatch captured = new CountDownLatch(1);
        Thread requestThread = new Thread(() -> {
            DispatchThread.entered();
            seen.set(DispatchThread.current());
            captured.countDown();
            while (running.get()) {
                Thread.onSpinWait(); // still in the container's code for this request
            }
        });
        requestThread.start();
        captured.await(5, TimeUnit.SECONDS);

        long started = System.nanoTime();
        seen.get().awaitDone();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        running.set(false);
        requestThread.join();

        assertThat(waitedMs).as("waited for the thread, up to its bound").isBetween(90L, 2_000L);
    }

    @Test
    void goesOnOnceTheRequestThreadEntersTheGatewayForAnotherRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<DispatchThread> seen = new AtomicReference<>();
        CountDownLatch captured = new CountDownLatch(1);
        CountDownLatch next = new CountDownLatch(1);
        Thread requestThread = new Thread(() -> {
            DispatchThread.entered();
            seen.set(DispatchThread.current());
            captured.countDown();
            awaitQuietly(next);
            DispatchThread.entered();
            while (running.get()) {
                Thread.onSpinWait(); // busy with the next request
            }
        });
        requestThread.start();
        captured.await(5, TimeUnit.SECONDS);
        next.countDown();

        Thread.sleep(20);
        long started = System.nanoTime();
        seen.get().awaitDone();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        running.set(false);
        requestThread.join();

        assertThat(waitedMs).isLessThan(50L);
    }

    @Test
    void goesOnOnceTheRequestThreadWaitsForWork() throws Exception {
        AtomicReference<DispatchThread> seen = new AtomicReference<>();
        CountDownLatch captured = new CountDownLatch(1);
        CountDownLatch work = new CountDownLatch(1);
        Thread requestThread = new Thread(() -> {
            DispatchThread.entered();
            seen.set(DispatchThread.current());
            captured.countDown();
            awaitQuietly(work); // back in its pool
        });
        requestThread.start();
        captured.await(5, TimeUnit.SECONDS);
        while (requestThread.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }

        long started = System.nanoTime();
        seen.get().awaitDone();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        work.countDown();
        requestThread.join();

        assertThat(waitedMs).isLessThan(50L);
    }

    @Test
    void theRequestThreadItselfNeverWaits() {
        DispatchThread.entered();
        long started = System.nanoTime();
        DispatchThread.current().awaitDone();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(50L);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
