package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;

/** A function call about to pick its variant: what the function span reads. */
public record FunctionStep(FunctionSettings function, InferenceRequest request) {
}
