package dev.llmgateway.admission;

/**
 * One request's share of the {@link MemoryBudget}; closing it gives the whole share back. Used by one thread at a time.
 * A request is small (it may use the eighth kept for small requests) while its declared length, or for a body of
 * unknown length what it holds, stays within the small sizes, and it holds at most 4 MiB.
 */
public final class Reservation implements AutoCloseable {

    static final long SMALL_DECLARED = 1024 * 1024;
    static final long SMALL_UNDECLARED = 64 * 1024;
    /** A small body may still hold many values: past this it competes with the large ones. */
    static final long SMALL_HELD = 4 * 1024 * 1024;

    private final MemoryBudget budget;
    private long held;
    private long declared = -1;

    Reservation(MemoryBudget budget) {
        this.budget = budget;
    }

    /** The body's length as the client declared it, or -1 when it did not (a chunked body). */
    public void declare(long contentLength) {
        this.declared = contentLength;
    }

    /**
     * Takes {@code bytes} more for this request. Throws when the gateway holds its budget already (429, retry), or when
     * this request alone could never fit it (413).
     */
    public void take(long bytes) {
        if (bytes <= 0) {
            return;
        }
        boolean small = (declared >= 0 ? declared <= SMALL_DECLARED : held + bytes <= SMALL_UNDECLARED) && held + bytes <= SMALL_HELD;
        if (held + bytes > (small ? budget.budget() : budget.largeLimit())) {
            throw new MemoryBudgetExceededException(true);
        }
        if (!budget.take(small, bytes)) {
            throw new MemoryBudgetExceededException(false);
        }
        held += bytes;
    }

    /** Gives back all but {@code bytes}: what the request still holds once its body is parsed. */
    public void keep(long bytes) {
        if (held > bytes) {
            budget.give(held - bytes);
            held = bytes;
        }
    }

    @Override
    public void close() {
        budget.give(held);
        held = 0;
    }
}
