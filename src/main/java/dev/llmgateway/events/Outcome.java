package dev.llmgateway.events;

import java.util.Locale;

/** How a step of the chain ended. */
public enum Outcome {
    SUCCESS, ERROR, CANCELLED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** As metrics and log records write it: success, error, cancelled. */
    public String label() {
        return label;
    }
}
