package dev.llmgateway.config;

import java.util.Map;

/**
 * The price table: per gateway model, or per provider and model ({@code openai/gpt-4o}), which wins.
 *
 * @param currency the ISO 4217 code every price is in
 */
public record Prices(String currency, Map<String, PriceSettings> byModel) {

    public static final Prices NONE = new Prices("USD", Map.of());

    public Prices {
        byModel = Map.copyOf(byModel);
    }

    /** The price of {@code model} when {@code provider} answers it; null when the table has none. */
    public PriceSettings of(String provider, String model) {
        if (model == null) {
            return null;
        }
        PriceSettings specific = provider == null ? null : byModel.get(provider + "/" + model);
        return specific != null ? specific : byModel.get(model);
    }
}
