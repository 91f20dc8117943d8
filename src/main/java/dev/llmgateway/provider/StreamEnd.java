package dev.llmgateway.provider;

import java.util.Locale;

/** How a stream ended: read to its end, broken by a failure, or closed before its end (its client went away). */
public enum StreamEnd {
    COMPLETE, ERROR, CANCELLED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** As span attributes write it: complete, error, cancelled. */
    public String label() {
        return label;
    }
}
