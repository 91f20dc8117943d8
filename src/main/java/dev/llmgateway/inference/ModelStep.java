package dev.llmgateway.inference;

import dev.llmgateway.config.ModelSettings;

import java.util.List;

/**
 * A model about to walk its providers: what the model span, the inference metrics and the log line read.
 *
 * @param routing the model's providers that serve the request's operation, in routing order; never empty
 */
public record ModelStep(ModelSettings model, List<String> routing, InferenceRequest request) {
}
