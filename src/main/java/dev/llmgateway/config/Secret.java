package dev.llmgateway.config;

/** A credential that prints as a mask, so that no toString, log line or error can carry it. */
public final class Secret {

    private static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null || value.isBlank() ? NONE : new Secret(value.strip());
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** The clear value, for the one place that puts it on the wire. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return isPresent() ? "****" : "(none)";
    }
}
