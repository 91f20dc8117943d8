package dev.llmgateway.inference;

import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.events.Inference;

import java.util.List;

/**
 * A model about to walk its providers: what the model span reads.
 *
 * @param routing   the model's providers that serve the request's operation, in routing order; never empty
 * @param inference the inference as its events name it: id, operation, function, variant, model and caller
 */
public record ModelStep(ModelSettings model, List<ProviderSettings> routing, InferenceRequest request, Inference inference) {
}
