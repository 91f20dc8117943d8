package dev.llmgateway.keys;

import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import jakarta.enterprise.context.ApplicationScoped;

/** Settles what a key's limits held for an inference with what it really used, once it ended. */
@ApplicationScoped
public class LimitListener implements GatewayListener {

    @Override
    public void inferenceEnded(InferenceEnded ended) {
        ended.inference().spending().settle(ended);
    }
}
