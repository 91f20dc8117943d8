package dev.llmgateway.admission;

import dev.llmgateway.provider.AnswerMemory;

/**
 * One request's share of the {@link MemoryBudget} (or of its answers'); closing it gives the whole share back. Used by
 * one thread at a time. A share is small (it may use the eighth kept for small requests) while what it holds stays
 * within {@link #SMALL_HELD}: measured by what has arrived and been parsed, never by what a client declared, so a body
 * that trickles in holds no part of the small requests' eighth once it passes that.
 */
public final class Reservation implements AutoCloseable {

    /** A chat request of some tens of kilobytes, parsed, holds a few hundred. */
    static final long SMALL_HELD = 1024 * 1024;

    private final MemoryBudget budget;
    private long held;

    Reservation(MemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * Takes {@code bytes} more for this request. Throws when the gateway holds its budget already (429, retry), or when
     * this request alone could never fit it (413).
     */
    public void take(long bytes) {
        if (bytes <= 0) {
            return;
        }
        boolean small = held + bytes <= SMALL_HELD;
        if (held + bytes > (small ? budget.budget() : budget.largeLimit())) {
            throw new MemoryBudgetExceededException(true);
        }
        if (!budget.take(small, bytes)) {
            throw new MemoryBudgetExceededException(false);
        }
        held += bytes;
    }

    /** This share as the memory a call's upstream answers are charged to. */
    public AnswerMemory forAnswers() {
        return new AnswerMemory() {
            @Override
            public Refusal take(long bytes) {
                try {
                    Reservation.this.take(bytes);
                    return Refusal.NONE;
                } catch (MemoryBudgetExceededException e) {
                    return e.never() ? Refusal.NEVER : Refusal.NOW;
                }
            }

            @Override
            public void give(long bytes) {
                long given = Math.min(bytes, held);
                budget.give(given);
                held -= given;
            }
        };
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
