package dev.llmgateway.provider;

/** A part of a client's request that has no equivalent in the protocol its provider speaks: refused, never dropped; {@code param} names it. */
public final class UntranslatableException extends Exception {

    private final String param;

    public UntranslatableException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
