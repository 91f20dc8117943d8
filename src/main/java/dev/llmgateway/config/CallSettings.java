package dev.llmgateway.config;

/**
 * How calls are carried.
 *
 * @param virtualThreads whether each call runs on a virtual thread of its own (Java 21+) rather than on its request thread
 * @param maxInFlight    calls answered at once; past it a request is refused at once with 429 and {@code Retry-After}
 */
public record CallSettings(boolean virtualThreads, int maxInFlight) {

    /** The heap a call in flight holds at most, its connections and buffers included, with room for the collector. */
    static final long HEAP_PER_CALL = 256 * 1024;

    /** As many calls as the heap carries without the collector taking over the CPU: 1,024 for 256 MiB. */
    static int defaultMaxInFlight(long maxHeap) {
        return (int) Math.max(64, Math.min(100_000, maxHeap / HEAP_PER_CALL));
    }
}
