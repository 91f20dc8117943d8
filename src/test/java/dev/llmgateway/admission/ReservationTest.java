package dev.llmgateway.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReservationTest {

    @Test
    void aSmallBodyHoldingManyValuesCompetesWithTheLargeOnesForTheirShare() {
        MemoryBudget budget = new MemoryBudget(32 << 20);
        try (Reservation manyValues = budget.open(); Reservation ordinary = budget.open()) {
            manyValues.take(4 << 20);
            assertThatThrownBy(() -> manyValues.take(25 << 20)).as("past 1 MiB it may use seven eighths only")
                    .isInstanceOf(MemoryBudgetExceededException.class);
            manyValues.take(24 << 20);
            assertThat(budget.inUse()).isEqualTo(28L << 20);

            ordinary.take(64 * 1024);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aSmallRequestThatCouldNeverFitIs413NotAnEndless429() {
        MemoryBudget budget = new MemoryBudget(2 << 20);
        try (Reservation small = budget.open()) {
            MemoryBudgetExceededException refused = catchThrowableOfType(MemoryBudgetExceededException.class, () -> small.take(3 << 20));
            assertThat(refused.never()).isTrue();
        }
    }
}
