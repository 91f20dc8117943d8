package dev.llmgateway.config;

/**
 * What one model costs, per million tokens, in the price table's currency; NaN where the configuration says nothing.
 * Cache reads and writes are priced as input and reasoning as output where they have no price of their own.
 */
public record PriceSettings(double input, double output, double cacheRead, double cacheWrite, double reasoning) {

    /** The price of cache reads: their own, else the input price. */
    public double cacheReadOrInput() {
        return Double.isNaN(cacheRead) ? input : cacheRead;
    }

    /** The price of cache writes: their own, else the input price. */
    public double cacheWriteOrInput() {
        return Double.isNaN(cacheWrite) ? input : cacheWrite;
    }

    /** The price of reasoning tokens: their own, else the output price. */
    public double reasoningOrOutput() {
        return Double.isNaN(reasoning) ? output : reasoning;
    }
}
