package dev.llmgateway.chat;

import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.MemoryBudgetExceededException;
import dev.llmgateway.admission.Reservation;
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
        MemoryBudget budget = new MemoryBudget(100_000);
        Reservation other = budget.open();
        other.take(90_000);

        assertThatThrownBy(() -> {
            try (Reservation reservation = budget.open()) {
                RequestBody.read(new ByteArrayInputStream(new byte[50_000]), -1, 1 << 20, reservation);
            }
        }).isInstanceOf(MemoryBudgetExceededException.class);
        other.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void largeBodiesLeaveAnEighthOfTheBudgetToSmallOnes() {
        MemoryBudget budget = new MemoryBudget(8 << 20);
        try (Reservation large = budget.open(); Reservation small = budget.open()) {
            assertThatThrownBy(() -> large.take(7 << 20 | 1)).isInstanceOf(MemoryBudgetExceededException.class);
            large.take(7 << 20);

            small.take(1 << 20);
            assertThatThrownBy(() -> small.take(1)).isInstanceOf(MemoryBudgetExceededException.class);
        }
        assertThat(budget.inUse()).isZero();
    }

    private static Reservation memory() {
        return new MemoryBudget(1 << 30).open();
    }
}
