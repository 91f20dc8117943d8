package dev.llmgateway.inference;

import dev.llmgateway.telemetry.FunctionSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.ThreadLocalRandom;

/** Runs a function call: picks the variant that serves it. */
@ApplicationScoped
public class FunctionInference {

    @Inject
    VariantInference variants;

    @FunctionSpan
    public InferenceResult infer(FunctionStep step) {
        InferenceRequest request = step.request();
        return variants.infer(new VariantStep(step.function(),
                VariantPicker.pick(step.function(), request.pinnedVariant(), ThreadLocalRandom.current().nextDouble()), request));
    }
}
