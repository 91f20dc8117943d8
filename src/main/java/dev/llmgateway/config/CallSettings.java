package dev.llmgateway.config;

/**
 * How calls are carried.
 *
 * @param virtualThreads whether each call runs on a virtual thread of its own (Java 21+) rather than on its request thread
 * @param maxInFlight    calls answered at once; past it a request is refused at once with 503 and {@code Retry-After}
 */
public record CallSettings(boolean virtualThreads, int maxInFlight) {
}
