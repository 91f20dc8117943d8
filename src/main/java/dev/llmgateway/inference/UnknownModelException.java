package dev.llmgateway.inference;

/** The client named a model this gateway does not serve. */
public class UnknownModelException extends RuntimeException {

    private final String model;

    public UnknownModelException(String model) {
        super("The model '" + model + "' does not exist on this gateway; GET /v1/models lists the ones it serves", null, false, false);
        this.model = model;
    }

    public String model() {
        return model;
    }
}
