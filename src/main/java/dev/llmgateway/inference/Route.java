package dev.llmgateway.inference;

/** Which function, variant, model and provider served an inference; function and variant null for a plain model call. */
public record Route(String function, String variant, String model, String provider, int attempts) {
}
