package dev.llmgateway.admission;

/** A request's memory does not fit the budget: now (the bodies in flight hold it) or ever (it alone is too large). */
public class MemoryBudgetExceededException extends RuntimeException {

    private final boolean never;

    public MemoryBudgetExceededException(boolean never) {
        super(never ? "the request alone needs more than the gateway's memory budget allows" : "request bodies in flight hold the gateway's "
                + "whole memory budget", null, false, false);
        this.never = never;
    }

    /** Whether the request could never fit, whatever else is in flight. */
    public boolean never() {
        return never;
    }
}
