package dev.llmgateway.ledger;

import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.pricing.Pricing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Records every inference in the ledger, costed, once its exchange is complete: one enqueue, never a database call. */
@ApplicationScoped
public class LedgerListener implements GatewayListener {

    @Inject
    Ledger ledger;

    @Inject
    Pricing pricing;

    @Override
    public void inferenceEnded(InferenceEnded ended) {
        ledger.record(InferenceRecord.of(ended, pricing.cost(ended.provider(), ended.inference().model(), ended.usage()), System.currentTimeMillis()));
    }
}
