package dev.llmgateway.it;

import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A listener as a careless consumer would write one, deployed into the routing test's WAR: for the model
 * {@link #MODEL} it sleeps on every inference's end and throws on every attempt's. Other models it leaves alone.
 */
@ApplicationScoped
public class SlowListener implements GatewayListener {

    static final String MODEL = "heard-slowly";
    static final long SLEEP_MS = 3_000;

    @Override
    public void inferenceEnded(InferenceEnded inference) {
        if (MODEL.equals(inference.inference().model())) {
            try {
                Thread.sleep(SLEEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void attemptEnded(AttemptEnded attempt) {
        if (MODEL.equals(attempt.inference().model())) {
            throw new ListenerFailure();
        }
    }

    /** What the listener throws: a class of its own, so that its count is its own. */
    public static final class ListenerFailure extends RuntimeException {
        public ListenerFailure() {
            super("a listener failed", null, false, false);
        }
    }
}
