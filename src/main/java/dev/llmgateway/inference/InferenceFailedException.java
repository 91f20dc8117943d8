package dev.llmgateway.inference;

import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderException.Reason;

import java.util.List;
import java.util.stream.Collectors;

/** Every provider of a model failed, or one refused the request itself; carries each provider's failure. */
public class InferenceFailedException extends RuntimeException {

    private final String inferenceId;
    private final List<ProviderException> failures;

    public InferenceFailedException(String model, String inferenceId, List<ProviderException> failures) {
        super(message(model, failures), failures.get(failures.size() - 1), false, false);
        this.inferenceId = inferenceId;
        this.failures = List.copyOf(failures);
    }

    /** The inference's id, or null when the failure came after its answer had begun. */
    public String inferenceId() {
        return inferenceId;
    }

    public List<ProviderException> failures() {
        return failures;
    }

    /** The failure that decided the outcome: the last one tried. */
    public ProviderException last() {
        return failures.get(failures.size() - 1);
    }

    public boolean all(Reason reason) {
        return failures.stream().allMatch(f -> f.reason() == reason);
    }

    private static String message(String model, List<ProviderException> failures) {
        if (failures.size() == 1) {
            return failures.get(0).getMessage();
        }
        return "All " + failures.size() + " providers of model '" + model + "' failed: "
                + failures.stream().map(ProviderException::getMessage).collect(Collectors.joining("; "));
    }
}
