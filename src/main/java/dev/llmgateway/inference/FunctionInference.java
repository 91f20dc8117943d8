package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
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
    public InferenceResult infer(FunctionSettings function, InferenceRequest request) {
        return variants.infer(function, VariantPicker.pick(function, request.pinnedVariant(), ThreadLocalRandom.current().nextDouble()), request);
    }
}
