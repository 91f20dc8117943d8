package dev.llmgateway.health;

/**
 * Whether the gateway has finished deploying. Runtimes accept connections, and Payara Micro answers health probes,
 * while the WAR is still deploying: until the deployment's last step every request gets 503.
 */
public final class Startup {

    private static volatile boolean complete;

    private Startup() {
    }

    /** Called once the configuration is bound and every other startup observer has run. */
    public static void finish() {
        complete = true;
    }

    public static boolean finished() {
        return complete;
    }
}
