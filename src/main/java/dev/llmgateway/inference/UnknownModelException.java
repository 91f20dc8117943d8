package dev.llmgateway.inference;

/** The client named a model, function or variant this gateway does not serve. */
public class UnknownModelException extends RuntimeException {

    public UnknownModelException(String model) {
        this("The model '" + model + "' does not exist on this gateway; GET /v1/models lists the ones it serves", true);
    }

    private UnknownModelException(String message, boolean ignored) {
        super(message, null, false, false);
    }

    public static UnknownModelException variant(String function, String variant) {
        return new UnknownModelException("The function '" + function + "' has no variant '" + variant + "'", true);
    }
}
