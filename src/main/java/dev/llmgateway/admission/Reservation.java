package dev.llmgateway.admission;

/** One request's share of the {@link MemoryBudget}; closing it gives the whole share back. Used by one thread at a time. */
public final class Reservation implements AutoCloseable {

    private final MemoryBudget budget;
    private long held;

    Reservation(MemoryBudget budget) {
        this.budget = budget;
    }

    /** Takes {@code bytes} more for this request, or throws when the gateway holds its whole budget already. */
    public void take(long bytes) {
        if (bytes <= 0) {
            return;
        }
        if (!budget.take(held, bytes)) {
            throw new MemoryBudgetExceededException();
        }
        held += bytes;
    }

    @Override
    public void close() {
        budget.give(held);
        held = 0;
    }
}
