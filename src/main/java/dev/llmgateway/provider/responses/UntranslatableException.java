package dev.llmgateway.provider.responses;

/** A part of a Responses API request that has no equivalent in a chat request: refused, never dropped. */
final class UntranslatableException extends Exception {

    private final String param;

    UntranslatableException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    String param() {
        return param;
    }
}
