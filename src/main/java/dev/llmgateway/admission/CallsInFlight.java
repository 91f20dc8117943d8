package dev.llmgateway.admission;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.metrics.GatewayMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls the gateway answers at once. Past {@code gateway.calls.max-in-flight} a request is refused at once, so
 * that a surge costs its senders a retry rather than everyone a queue without bound.
 */
@ApplicationScoped
public class CallsInFlight {

    @Inject
    GatewaySettings settings;

    private final AtomicInteger calls = new AtomicInteger();
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
