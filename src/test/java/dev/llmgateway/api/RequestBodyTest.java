package dev.llmgateway.api;

import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.MemoryBudgetExceededException;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestBodyTest {

    @Test
    void readsABodyUpToTheLimit() {
        assertThat(RequestBody.read(new ByteArrayInputStream(new byte[100]), -1, 100, memory())).hasSize(100);
        assertThat(RequestBody.read(new ByteArrayInputStream(new byte[5000]), 5000, 10_000, memory())).hasSize(5000);
    }

    @Test
    void refusesABodyOverTheLimitWhetherDeclaredOrNot() {
        ApiException declared = catchThrowableOfType(ApiException.class,
                () -> RequestBody.read(new ByteArrayInputStream(new byte[0]), 101, 100, memory()));
        ApiException chunked = catchThrowableOfType(ApiException.class,
                () -> RequestBody.read(new ByteArrayInputStream(new byte[10_001]), -1, 10_000, memory()));

        assertThat(declared.error().status()).isEqualTo(413);
        assertThat(chunked.error().status()).isEqualTo(413);
        assertThat(chunked.error().code()).isEqualTo("request_too_large");
    }

    @Test
    void aDeclaredLengthAloneReservesNoMemory() {
        MemoryBudget budget = new MemoryBudget(1 << 30);
        try (Reservation reservation = budget.open()) {
            RequestBody.read(new ByteArrayInputStream(new byte[10]), 8 << 20, 8 << 20, reservation);

            assertThat(budget.inUse()).as("bytes held for a body of 10 bytes declared as 8 MiB").isLessThanOrEqualTo(16 * 1024);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aBodyBeyondTheBudgetIsRefusedWhileItArrives() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        Reservation other = budget.open();
        other.take(800_000);

        MemoryBudgetExceededException refused = catchThrowableOfType(MemoryBudgetExceededException.class, () -> {
            try (Reservation reservation = budget.open()) {
                RequestBody.read(new ByteArrayInputStream(new byte[300_000]), -1, 1 << 20, reservation);
            }
        });
        assertThat(refused.never()).as("it would fit once the other request is answered: 429, not 413").isFalse();
        assertThat(ApiErrors.of(refused).status()).isEqualTo(429);
        other.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aRequestThatCouldNeverFitIs413() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        try (Reservation reservation = budget.open()) {
            MemoryBudgetExceededException refused = catchThrowableOfType(MemoryBudgetExceededException.class,
                    () -> RequestBody.read(new ByteArrayInputStream(new byte[2 << 20]), -1, 4 << 20, reservation));
            assertThat(refused.never()).isTrue();
            assertThat(ApiErrors.of(refused).status()).isEqualTo(413);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void largeBodiesLeaveAnEighthOfTheBudgetToSmallOnesMeasuredByWhatArrived() {
        MemoryBudget budget = new MemoryBudget(8 << 20);
        try (Reservation large = budget.open(); Reservation trickling = budget.open(); Reservation small = budget.open()) {
            large.take(7 << 20);
            assertThatThrownBy(() -> large.take(1)).isInstanceOf(MemoryBudgetExceededException.class);

            trickling.take(512 * 1024);
            assertThatThrownBy(() -> trickling.take(600 * 1024)).as("past 1 MiB held a body competes with the large ones, whatever it declared")
                    .isInstanceOf(MemoryBudgetExceededException.class);
            small.take(256 * 1024);
            assertThat(budget.inUse()).isEqualTo((7 << 20) + 768 * 1024);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aBodyStillArrivingPastTheTimeoutOrBelowTheRateIs408() {
        var timeout = java.time.Duration.ofSeconds(30);
        RequestBody.tooSlow(29_000_000_000L, 1 << 20, timeout, 16 * 1024);
        RequestBody.tooSlow(3_000_000_000L, 1, timeout, 16 * 1024); // within the grace, any rate
        ApiException late = catchThrowableOfType(ApiException.class, () -> RequestBody.tooSlow(31_000_000_000L, 8 << 20, timeout, 16 * 1024));
        ApiException slow = catchThrowableOfType(ApiException.class, () -> RequestBody.tooSlow(10_000_000_000L, 100_000, timeout, 16 * 1024));
        assertThat(late.error().status()).isEqualTo(408);
        assertThat(late.error().code()).isEqualTo("request_timeout");
        assertThat(slow.error().status()).isEqualTo(408);
        assertThat(slow.error().message()).contains("10000 bytes a second");
    }

    @Test
    void aTricklingBodyIsRefusedAtItsNextBytePastTheTimeoutAndGivesItsMemoryBack() {
        MemoryBudget budget = new MemoryBudget(1 << 30);
        var limits = new RequestLimits(8 << 20, 64, 1000, 1 << 30, java.time.Duration.ofMillis(300), 0);
        java.io.InputStream trickle = new java.io.InputStream() {
            private int sent;

            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent++ > 0) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    b[off] = 'x';
                    return 1;
                }
                java.util.Arrays.fill(b, off, off + Math.min(len, 100_000), (byte) 'x');
                return Math.min(len, 100_000);
            }
        };
        long start = System.nanoTime();
        try (Reservation reservation = budget.open()) {
            ApiException refused = catchThrowableOfType(ApiException.class, () -> RequestBody.read(trickle, 2 << 20, limits, reservation));
            assertThat(refused.error().status()).isEqualTo(408);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 1_000L);
        assertThat(budget.inUse()).isZero();
    }

    private static Reservation memory() {
        return new MemoryBudget(1 << 30).open();
    }
}
