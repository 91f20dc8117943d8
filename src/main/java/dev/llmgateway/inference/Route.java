package dev.llmgateway.inference;

/** Which function, variant, model and provider served an inference; null where not involved. */
public record Route(String function, String variant, String model, String provider, int attempts) {

    static Route provider(String provider, int attempts) {
        return new Route(null, null, null, provider, attempts);
    }

    Route withModel(String name) {
        return new Route(function, variant, name, provider, attempts);
    }

    Route withVariant(String functionName, String variantName) {
        return new Route(functionName, variantName, model, provider, attempts);
    }
}
