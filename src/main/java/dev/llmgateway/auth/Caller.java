package dev.llmgateway.auth;

import dev.llmgateway.calls.Handoff;

/**
 * Who is calling: the name of the gateway API key the request served on this thread presented, if keys are
 * configured. Set by {@link ApiKeyFilter} around the rest of the request, and handed to the thread that carries the
 * call on; filters that run outside it read the request attribute {@link #KEY_NAME}.
 */
public final class Caller {

    public static final String KEY_NAME = "dev.llmgateway.auth.key-name";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Caller() {
    }

    /** The key name, or empty when keys are off or the request is not an API request. */
    public static String keyName() {
        String name = CURRENT.get();
        return name == null ? "" : name;
    }

    /** The caller of the request served on this thread, for the thread that carries its call on. */
    public static Handoff handoff() {
        return Handoff.carrying(CURRENT, CURRENT.get());
    }

    static void authenticatedAs(String name) {
        CURRENT.set(name);
    }

    static void leave() {
        CURRENT.remove();
    }
}
