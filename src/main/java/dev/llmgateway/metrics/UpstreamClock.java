package dev.llmgateway.metrics;

/**
 * Time the request served on this thread spent waiting for providers, so that the rest can be counted as the
 * gateway's overhead. Plain per-thread state rather than a request-scoped bean: the bean cost a creation, an
 * injection and a context lookup per call on every request.
 */
public final class UpstreamClock {

    private static final ThreadLocal<UpstreamClock> CURRENT = ThreadLocal.withInitial(UpstreamClock::new);

    private long nanos;
    private boolean running;

    private UpstreamClock() {
    }

    /** Starts counting for the request about to be served on this thread. */
    static UpstreamClock start() {
        UpstreamClock clock = CURRENT.get();
        clock.nanos = 0;
        clock.running = true;
        return clock;
    }

    /** Stops counting and gives the time waited. */
    long stop() {
        running = false;
        return nanos;
    }

    /** Adds time the current request waited for a provider; ignored outside a counted request. */
    public static void add(long waited) {
        UpstreamClock clock = CURRENT.get();
        if (clock.running) {
            clock.nanos += waited;
        }
    }
}
