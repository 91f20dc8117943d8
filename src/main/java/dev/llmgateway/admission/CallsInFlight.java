package dev.llmgateway.admission;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.metrics.GatewayMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls the gateway answers at once. Past {@code gateway.calls.max-in-flight} a request is refused at once, so
 * that a surge costs its senders a retry rather than everyone a queue without bound. A call counts once its body is
 * in, so a client trickling a body holds no place; the requests admitted to a call thread, bodies still arriving
 * included, are bounded at twice the limit.
 */
@ApplicationScoped
public class CallsInFlight {

    @Inject
    GatewaySettings settings;

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    private int max;

    CallsInFlight() {
        // for CDI: sized from the settings once injected
    }

    /** A limit of its own, outside CDI. */
    public CallsInFlight(int max) {
        this.max = max;
    }

    @PostConstruct
    void size() {
        max = settings.calls().maxInFlight();
    }

    /**
     * Admits a request to be read and answered on a call thread of its own, unless as many calls as allowed are in
     * flight already, or as many requests again are admitted and still sending their bodies: a surge is refused on
     * its request thread then, instead of waiting without bound for a call thread. A refusal is counted.
     */
    public boolean tryAdmit() {
        while (true) {
            int now = admitted.get();
            if (calls.get() >= max || now >= 2 * max) {
                GatewayMetrics.shared().overloaded("calls_in_flight");
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Ends what {@link #tryAdmit()} began, once the request is answered. */
    public void release() {
        admitted.decrementAndGet();
    }

    /** Counts a call in, unless as many as allowed are in flight already. */
    public boolean tryEnter() {
        while (true) {
            int now = calls.get();
            if (now >= max) {
                GatewayMetrics.shared().overloaded("calls_in_flight");
                return false;
            }
            if (calls.compareAndSet(now, now + 1)) {
                GatewayMetrics.shared().callStarted();
                return true;
            }
        }
    }

    public void leave() {
        calls.decrementAndGet();
        GatewayMetrics.shared().callEnded();
    }

    public int inFlight() {
        return calls.get();
    }
}
