package dev.llmgateway.admission;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.metrics.GatewayMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The heap that request bodies in flight may hold together, so that memory is bounded by configuration and not by
 * clients: each request takes its share as its body arrives and is parsed, and gives it back when it is answered.
 * An eighth is kept for requests of at most 1 MiB, so that ordinary traffic is answered while large bodies wait.
 */
@ApplicationScoped
public class MemoryBudget {

    private static final Logger LOG = Logger.getLogger(MemoryBudget.class.getName());

    @Inject
    GatewaySettings settings;

    static final long SMALL_REQUEST = 1024 * 1024;

    private final AtomicLong used = new AtomicLong();
    private final LongAdder refused = new LongAdder();
    private long budget;

    MemoryBudget() {
        // for CDI: sized from the settings once injected
    }

    /** A budget of its own, outside CDI. */
    public MemoryBudget(long budget) {
        this.budget = budget;
    }

    @PostConstruct
    void size() {
        budget = settings.limits().memoryBudgetBytes();
        long largest = settings.limits().largestRequestCost();
        LOG.info(() -> "Request memory budget " + budget / (1024 * 1024) + " MiB (heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB); the largest request allowed may cost " + largest / (1024 * 1024) + " MiB");
        if (largest > budget) {
            LOG.warning("gateway.request.memory-budget-bytes is below what the largest request allowed may cost: such requests"
                    + " will always get 503; lower gateway.request.max-body-bytes or gateway.request.max-json-values, or raise the budget");
        }
    }

    /** A share for one request, empty until its body arrives. */
    public Reservation open() {
        return new Reservation(this);
    }

    boolean take(long alreadyHeld, long bytes) {
        long limit = alreadyHeld + bytes <= SMALL_REQUEST ? budget : budget - budget / 8;
        long now = used.addAndGet(bytes);
        if (now > limit) {
            used.addAndGet(-bytes);
            refused.increment();
            GatewayMetrics.shared().overloaded("memory_budget");
            return false;
        }
        return true;
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    public long inUse() {
        return used.get();
    }

    public long budget() {
        return budget;
    }

    public long refused() {
        return refused.sum();
    }
}
