package dev.llmgateway.inference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs a function call through the variant picked for it. */
@ApplicationScoped
public class FunctionInference {

    @Inject
    VariantInference variants;

    @FunctionSpan
    public InferenceResult infer(FunctionStep step) {
        return variants.infer(new VariantStep(step.function(), step.variant(), step.request()));
    }
}
