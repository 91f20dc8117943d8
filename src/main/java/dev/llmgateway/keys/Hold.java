package dev.llmgateway.keys;

import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.events.Spending;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.pricing.Pricing;
import dev.llmgateway.provider.Usage;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one call took of its key's and team's token limits and budgets before it ran, by estimate, settled once with
 * what it used: the difference goes back to (or is taken from) the slices it came from. Requests are counted once and
 * never settled.
 */
final class Hold implements Spending {

    /** One limit's share of the estimate, in the window it was taken from. */
    record Part(Allowance allowance, long window, double amount) {
    }

    private final List<Part> parts;
    private final Pricing pricing;
    private final AtomicBoolean settled = new AtomicBoolean();

    Hold(List<Part> parts, Pricing pricing) {
        this.parts = List.copyOf(parts);
        this.pricing = pricing;
    }

    @Override
    public void settle(InferenceEnded ended) {
        Usage usage = ended.usage();
        if (usage == null || !usage.known()) {
            if (ended.outcome() == Outcome.ERROR && !ended.streamed()) {
                release(); // every provider failed before answering: nothing was produced
            } else {
                settled.set(true); // an abandoned or uncounted answer was produced all the same: the estimate stands
            }
            return;
        }
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        long tokens = Math.max(0, usage.inputTokens()) + Math.max(0, usage.outputTokens());
        Cost cost = pricing.cost(ended.provider(), ended.inference().model(), usage);
        for (Part part : parts) {
            double used = part.allowance().kind.unit() == LimitKind.Unit.TOKENS ? tokens : cost.known() ? cost.amount() : part.amount();
            part.allowance().adjust(part.window(), part.amount() - used);
        }
    }

    /** Gives the whole estimate back: the call never reached a provider. */
    void release() {
        if (settled.compareAndSet(false, true)) {
            parts.forEach(part -> part.allowance().adjust(part.window(), part.amount()));
        }
    }
}
