package dev.llmgateway.inference;

/** The request cannot run as asked, for a reason the client can fix (a 400). */
public class InvalidInferenceRequestException extends RuntimeException {

    private final String param;

    public InvalidInferenceRequestException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
