package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.VariantSettings;

/** One variant of a function about to run: what the variant span reads. */
public record VariantStep(FunctionSettings function, VariantSettings variant, InferenceRequest request) {
}
