package dev.llmgateway.inference;

import dev.llmgateway.config.ModelSettings;

/** A model about to walk its providers: what the model span, the inference metrics and the log line read. */
public record ModelStep(ModelSettings model, InferenceRequest request) {
}
