package dev.llmgateway.admission;

/** The request bodies in flight hold the whole memory budget: this one must wait its turn. */
public class MemoryBudgetExceededException extends RuntimeException {

    public MemoryBudgetExceededException() {
        super("request bodies in flight hold the gateway's whole memory budget", null, false, false);
    }
}
