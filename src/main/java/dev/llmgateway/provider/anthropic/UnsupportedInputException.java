package dev.llmgateway.provider.anthropic;

/** A request parameter Anthropic has no equivalent for: refused rather than silently dropped. */
final class UnsupportedInputException extends Exception {

    private final String param;

    UnsupportedInputException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    String param() {
        return param;
    }
}
