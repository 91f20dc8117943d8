package dev.llmgateway.config;

/**
 * What requests may cost: one body's size and JSON shape, and the memory all requests in flight may hold together.
 *
 * @param maxJsonValues values in one body, keys included: what bounds its parsed tree (about 70 bytes per value)
 * @param memoryBudgetBytes the estimated memory of all request bodies in flight; beyond it requests get 503
 */
public record RequestLimits(long maxBodyBytes, int maxJsonDepth, int maxJsonValues, long memoryBudgetBytes) {

    /** Estimated heap of a parsed tree per value: measured 33 (small numbers) to 68 bytes (short strings) on Parsson. */
    public static final int BYTES_PER_VALUE = 72;
    /** The body's bytes, their text while parsing and the tree's strings: an estimate per byte of body. */
    public static final int COPIES_OF_BODY = 3;

    /** The most one request can be charged: the largest body holding the most values. */
    public long largestRequestCost() {
        return COPIES_OF_BODY * maxBodyBytes + (long) BYTES_PER_VALUE * maxJsonValues;
    }
}
