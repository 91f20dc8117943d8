package dev.llmgateway.admission;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.CallRefused;
import dev.llmgateway.events.GatewayEvents;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls the gateway answers at once. Past {@code gateway.calls.max-in-flight} a request is refused at once, so
 * that a surge costs its senders a retry rather than everyone a queue without bound. A call counts once its body is
 * in, so a client trickling a body holds no place; the requests admitted whose call thread has not run yet are
 * bounded at the limit too.
 */
@ApplicationScoped
public class CallsInFlight {

    @Inject
    GatewaySettings settings;

    @Inject
    GatewayEvents events;

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private int max;

    CallsInFlight() {
        // for CDI: sized from the settings once injected
    }

    /** A limit of its own, outside CDI. */
    public CallsInFlight(int max) {
        this(max, new GatewayEvents(java.util.List.of()));
    }

    /** A limit of its own whose refusals {@code events} tells, outside CDI. */
    public CallsInFlight(int max, GatewayEvents events) {
        this.max = max;
        this.events = events;
    }

    @PostConstruct
    void size() {
        max = settings.calls().maxInFlight();
    }

    /**
     * Admits a request to a call thread of its own, unless as many calls as allowed are in flight already, or as many
     * admitted requests again still wait for their thread to run: a surge is refused on its request thread then,
     * instead of piling up as asynchronous requests. A refusal is counted; null when refused.
     */
    public Admission tryAdmit() {
        while (true) {
            int now = waiting.get();
            if (calls.get() >= max) {
                events.announce(new CallRefused(CallRefused.Reason.CALLS_IN_FLIGHT));
                return null;
            }
            if (now >= max) {
                events.announce(new CallRefused(CallRefused.Reason.CALLS_WAITING));
                return null;
            }
            if (waiting.compareAndSet(now, now + 1)) {
                return new Admission();
            }
        }
    }

    /** Requests admitted whose thread has not run yet. */
    public int waiting() {
        return waiting.get();
    }

    /** An admitted request, until its thread runs. */
    public final class Admission {

        private final AtomicBoolean waits = new AtomicBoolean(true);

        /** Its thread runs, or it will never get one; once only, whoever calls it again. */
        public void started() {
            if (waits.compareAndSet(true, false)) {
                waiting.decrementAndGet();
            }
        }
    }

    /** Counts a call in, unless as many as allowed are in flight already. */
    public boolean tryEnter() {
        while (true) {
            int now = calls.get();
            if (now >= max) {
                events.announce(new CallRefused(CallRefused.Reason.CALLS_IN_FLIGHT));
                return false;
            }
            if (calls.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void leave() {
        calls.decrementAndGet();
    }

    public int inFlight() {
        return calls.get();
    }
}
