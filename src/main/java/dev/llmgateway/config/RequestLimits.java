package dev.llmgateway.config;

/**
 * What requests may cost: one body's size and JSON shape, and the memory all requests in flight may hold together.
 * The costs below are estimates of the heap a body takes, as it is parsed and while its request runs.
 *
 * @param maxJsonValues values in one body, keys included: what bounds its parsed tree
 * @param memoryBudgetBytes the estimated memory of all request bodies in flight; beyond it requests get 429
 * @param bodyTimeout       how long a body may take to arrive whole; past it the request gets 408 and its memory back
 * @param minBodyRate       bytes a second a body must average once {@link #BODY_RATE_GRACE} has passed; below it, 408
 */
public record RequestLimits(long maxBodyBytes, int maxJsonDepth, int maxJsonValues, long memoryBudgetBytes, java.time.Duration bodyTimeout,
                            long minBodyRate) {

    /** A body's first seconds are not measured for its rate: a connection's start is slow for reasons of its own. */
    public static final java.time.Duration BODY_RATE_GRACE = java.time.Duration.ofSeconds(5);
    public static final java.time.Duration DEFAULT_BODY_TIMEOUT = java.time.Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_BODY_RATE = 16 * 1024;

    public RequestLimits(long maxBodyBytes, int maxJsonDepth, int maxJsonValues, long memoryBudgetBytes) {
        this(maxBodyBytes, maxJsonDepth, maxJsonValues, memoryBudgetBytes, DEFAULT_BODY_TIMEOUT, DEFAULT_MIN_BODY_RATE);
    }

    /** A parsed value's heap on Parsson (a number, an object, a string's wrapper) at its largest, measured. */
    public static final int BYTES_PER_VALUE = 128;
    /** Parsson buffers each string whole in a char array that doubles as it grows: old and new arrays at once. */
    private static final int TOKENIZER_BYTES_PER_CHAR = 6;

    /** While parsing: the body's bytes, its text, the parser's buffer for the longest string, and the tree being built. */
    public static long parsingCost(long bodyBytes, int longestString, boolean wide, int values) {
        return bodyBytes + text(bodyBytes, wide) + (long) TOKENIZER_BYTES_PER_CHAR * longestString + tree(bodyBytes, wide, values);
    }

    /** Once parsed, while its request runs: the tree, and the body written again for the upstream. */
    public static long heldCost(long bodyBytes, boolean wide, int values) {
        return tree(bodyBytes, wide, values) + bodyBytes;
    }

    private static long tree(long bodyBytes, boolean wide, int values) {
        return text(bodyBytes, wide) + (long) BYTES_PER_VALUE * values;
    }

    private static long text(long bodyBytes, boolean wide) {
        return wide ? 2 * bodyBytes : bodyBytes;
    }

    /** The most one request the limits allow can cost while it is parsed: the largest body, all values or one string. */
    public long largestRequestCost() {
        int chars = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
        return Math.max(parsingCost(maxBodyBytes, chars, true, 1), parsingCost(maxBodyBytes, 0, true, maxJsonValues));
    }
}
