package dev.llmgateway.pricing;

/**
 * What an inference or an attempt cost, in the price table's currency; {@link #UNKNOWN} where the usage or a price it
 * needs is missing, which is never reported as zero.
 */
public record Cost(double amount, String currency) {

    public static final Cost UNKNOWN = new Cost(Double.NaN, null);

    public boolean known() {
        return !Double.isNaN(amount);
    }
}
