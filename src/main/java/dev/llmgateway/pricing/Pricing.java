package dev.llmgateway.pricing;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.PriceSettings;
import dev.llmgateway.config.Prices;
import dev.llmgateway.provider.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Costs usage with the price table. The gateway's token counts follow OpenAI's sense for every provider (input includes
 * the cached tokens read and written, output the reasoning ones), so each token is priced once: at the cache read or
 * write price, the reasoning price, or else the plain input or output price.
 */
@ApplicationScoped
public class Pricing {

    private Prices prices = Prices.NONE;

    @Inject
    void configure(GatewaySettings settings) {
        prices = settings.prices();
    }

    Pricing() {
        // for CDI
    }

    public Pricing(Prices prices) {
        this.prices = prices;
    }

    /** What {@code usage} cost when {@code provider} answered {@code model} (the gateway's model name). */
    public Cost cost(String provider, String model, Usage usage) {
        return cost(prices.of(provider, model), prices.currency(), usage);
    }

    public String currency() {
        return prices.currency();
    }

    static Cost cost(PriceSettings price, String currency, Usage usage) {
        if (price == null || usage == null || usage.inputTokens() < 0) {
            return Cost.UNKNOWN; // output alone would understate it; an answer without output (embeddings) reports none
        }
        long input = Math.max(0, usage.inputTokens());
        long cacheRead = Math.min(input, Math.max(0, usage.cachedInputTokens()));
        long cacheWrite = Math.min(input - cacheRead, Math.max(0, usage.cacheWriteTokens()));
        long output = Math.max(0, usage.outputTokens());
        long reasoning = Math.min(output, Math.max(0, usage.reasoningTokens()));
        double micro = part(input - cacheRead - cacheWrite, price.input()) + part(cacheRead, price.cacheReadOrInput())
                + part(cacheWrite, price.cacheWriteOrInput()) + part(output - reasoning, price.output()) + part(reasoning, price.reasoningOrOutput());
        return Double.isNaN(micro) ? Cost.UNKNOWN : new Cost(micro / 1_000_000d, currency);
    }

    /** Tokens times their price per million; NaN only when there are tokens and no price for them. */
    private static double part(long tokens, double perMillion) {
        return tokens == 0 ? 0 : tokens * perMillion;
    }
}
