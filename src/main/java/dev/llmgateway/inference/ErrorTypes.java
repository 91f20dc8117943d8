package dev.llmgateway.inference;

import dev.llmgateway.provider.ProviderException;

import java.util.Locale;

/** Bounded {@code error.type} words for what broke a step: a provider failure's reason, never a message. */
final class ErrorTypes {

    private ErrorTypes() {
    }

    /** An attempt's: the provider failure's reason (timeout, rate_limited, …), else {@code error}. */
    static String attempt(Throwable failure) {
        return failure instanceof ProviderException e ? e.reason().name().toLowerCase(Locale.ROOT) : "error";
    }

    /** An inference's: the last provider failure's reason, else the conventions' fallback value. */
    static String inference(Throwable failure) {
        if (failure instanceof InferenceFailedException f && !f.failures().isEmpty()) {
            return f.last().reason().name().toLowerCase(Locale.ROOT);
        }
        if (failure instanceof ProviderException p) {
            return p.reason().name().toLowerCase(Locale.ROOT);
        }
        return "_OTHER";
    }
}
