package dev.llmgateway.metrics;

import dev.llmgateway.calls.Handoff;

/**
 * Time the request spent waiting for providers, so that the rest can be counted as the gateway's overhead. Plain
 * per-thread state rather than a request-scoped bean (the bean cost a creation, an injection and a context lookup
 * per call); one clock per request, handed to the thread that carries its call on.
 */
public final class UpstreamClock {

    private static final ThreadLocal<UpstreamClock> CURRENT = ThreadLocal.withInitial(UpstreamClock::new);

    private long nanos;
    private boolean running;

    private UpstreamClock() {
    }

    /** Starts counting for the request about to be served on this thread. */
    static UpstreamClock start() {
        UpstreamClock clock = new UpstreamClock();
        clock.running = true;
        CURRENT.set(clock);
        return clock;
    }

    /** This thread no longer serves the request; its call may go on counting on the thread that carries it. */
    static void leave() {
        CURRENT.remove();
    }

    /** Stops counting and gives the time waited. */
    long stop() {
        running = false;
        return nanos;
    }

    /** The clock of the request served on this thread, for the thread that carries its call on. */
    public static Handoff handoff() {
        UpstreamClock clock = CURRENT.get();
        return Handoff.carrying(CURRENT, clock.running ? clock : null);
    }

    /** Adds time the current request waited for a provider; ignored outside a counted request. */
    public static void add(long waited) {
        UpstreamClock clock = CURRENT.get();
        if (clock.running) {
            clock.nanos += waited;
        }
    }
}
