package dev.llmgateway.admission;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.CallRefused;
import dev.llmgateway.events.GatewayEvents;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The heap that request bodies in flight may hold together, so that memory is bounded by configuration and not by
 * clients: each request takes its share as its body arrives and is parsed, and gives it back when it is answered.
 * An eighth is kept for small requests, so that ordinary traffic is answered while large bodies wait.
 */
@ApplicationScoped
public class MemoryBudget {

    private static final Logger LOG = Logger.getLogger(MemoryBudget.class.getName());

    @Inject
    GatewaySettings settings;

    @Inject
    GatewayEvents events;

    private final AtomicLong used = new AtomicLong();
    private long budget;

    MemoryBudget() {
        // for CDI: sized from the settings once injected
    }

    /** A budget of its own, outside CDI. */
    public MemoryBudget(long budget) {
        this.budget = budget;
        this.events = new GatewayEvents(java.util.List.of());
    }

    @PostConstruct
    void size() {
        budget = settings.limits().memoryBudgetBytes();
        long largest = settings.limits().largestRequestCost();
        LOG.info(() -> "Request memory budget " + mib(budget) + " MiB (heap " + mib(Runtime.getRuntime().maxMemory())
                + " MiB); the largest request the limits allow may cost " + mib(largest) + " MiB while it is parsed");
        if (largest > largeLimit()) {
            LOG.warning("gateway.request.memory-budget-bytes leaves " + mib(largeLimit()) + " MiB for large requests: the largest ones the body"
                    + " and JSON limits allow get 413; lower gateway.request.max-body-bytes or max-json-values, or give the JVM more heap");
        }
    }

    /** A share for one request, empty until its body arrives. */
    public Reservation open() {
        return new Reservation(this);
    }

    long budget() {
        return budget;
    }

    /** What requests that are not small may hold together. */
    long largeLimit() {
        return budget - budget / 8;
    }

    /** Takes {@code bytes} unless that would pass the limit for a request of this size; never overshoots, even for a moment. */
    boolean take(boolean small, long bytes) {
        long limit = small ? budget : largeLimit();
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                events.announce(new CallRefused(CallRefused.Reason.MEMORY_BUDGET));
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    public long inUse() {
        return used.get();
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
