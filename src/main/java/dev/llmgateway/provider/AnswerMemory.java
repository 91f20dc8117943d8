package dev.llmgateway.provider;

/**
 * The memory one call may take for its upstream's answers, charged as they are read (whole answers and stream events
 * alike) and held until the call ends, so that no number of large answers at once can exhaust the heap.
 */
@FunctionalInterface
public interface AnswerMemory {

    /** For answers read outside a call's budget (tests, the built-in providers). */
    AnswerMemory UNCOUNTED = bytes -> Refusal.NONE;

    /** Why memory was refused: not at all, not now (the answers and requests in flight hold the budget), or never. */
    enum Refusal { NONE, NOW, NEVER }

    /** Takes {@code bytes} more for this call's answers, or says why not. */
    Refusal take(long bytes);

    /** Gives back {@code bytes} taken before and no longer held (a buffer an answer outgrew). */
    default void give(long bytes) {
    }
}
