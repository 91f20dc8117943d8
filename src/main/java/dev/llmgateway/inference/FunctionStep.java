package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.VariantSettings;

/** A function call, its variant already picked: what the function span reads. */
public record FunctionStep(FunctionSettings function, VariantSettings variant, InferenceRequest request) {
}
