package dev.llmgateway.pricing;

import dev.llmgateway.config.PriceSettings;
import dev.llmgateway.config.Prices;
import dev.llmgateway.provider.Usage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PricingTest {

    private static final double NONE = Double.NaN;
    private static final PriceSettings GPT = new PriceSettings(2.5, 10, 1.25, NONE, NONE);
    private static final PriceSettings CLAUDE = new PriceSettings(3, 15, 0.3, 3.75, NONE);
    private final Pricing pricing = new Pricing(new Prices("USD", Map.of("gpt", GPT, "claude", CLAUDE, "azure/gpt", new PriceSettings(3, 12, NONE, NONE, NONE),
            "half", new PriceSettings(1, NONE, NONE, NONE, NONE))));

    @Test
    void cachedInputIsPricedOnceAtItsOwnPriceAndReasoningAsOutput() {
        // OpenAI's sense: 1,000 prompt tokens of which 400 cached; 500 completion tokens of which 200 reasoning
        Cost cost = pricing.cost("openai", "gpt", new Usage(1_000, 500, 400, 200));

        assertThat(cost.currency()).isEqualTo("USD");
        assertThat(cost.amount()).isCloseTo((600 * 2.5 + 400 * 1.25 + 500 * 10) / 1e6, within(1e-15));
    }

    @Test
    void anthropicCacheReadsAndWritesAreEachPricedOnce() {
        // the gateway's input for Anthropic: 40 plain + 1,200 read + 3,000 written = 4,240
        Cost cost = pricing.cost("anthropic", "claude", new Usage(4_240, 100, 1_200, -1, 3_000));

        assertThat(cost.amount()).isCloseTo((40 * 3 + 1_200 * 0.3 + 3_000 * 3.75 + 100 * 15) / 1e6, within(1e-15));
    }

    @Test
    void aProvidersOwnPriceWinsOverTheModels() {
        assertThat(pricing.cost("azure", "gpt", new Usage(1_000_000, 0)).amount()).isEqualTo(3.0);
        assertThat(pricing.cost("openai", "gpt", new Usage(1_000_000, 0)).amount()).isEqualTo(2.5);
    }

    @Test
    void unknownIsNeverZero() {
        assertThat(pricing.cost("openai", "unpriced", new Usage(10, 10)).known()).isFalse();
        assertThat(pricing.cost("openai", "gpt", Usage.UNKNOWN).known()).isFalse();
        assertThat(pricing.cost("openai", "half", new Usage(10, 10)).known()).as("output tokens without an output price").isFalse();
        assertThat(pricing.cost("openai", "half", new Usage(10, 0)).amount()).as("no output tokens, none to price").isEqualTo(10 / 1e6);
        assertThat(pricing.cost("openai", "gpt", new Usage(0, 0)).amount()).isZero();
        assertThat(pricing.cost("openai", "gpt", new Usage(-1, 10)).known()).as("output alone would understate it").isFalse();
        assertThat(pricing.cost("openai", "gpt", new Usage(8, -1)).amount()).as("embeddings report no output").isEqualTo(8 * 2.5 / 1e6);
    }

    @Test
    void countsThatContradictEachOtherAreClampedNotDoubled() {
        // a provider reporting more cached tokens than input ones: nothing priced twice, nothing negative
        Cost cost = pricing.cost("openai", "gpt", new Usage(100, 10, 150, 20));

        assertThat(cost.amount()).isCloseTo((100 * 1.25 + 10 * 10) / 1e6, within(1e-15));
    }
}
