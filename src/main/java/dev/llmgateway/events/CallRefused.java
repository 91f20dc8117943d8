package dev.llmgateway.events;

import java.util.Locale;

/** A request refused with 429 to keep the gateway within its bounds. */
public record CallRefused(Reason reason) implements GatewayEvent {

    public enum Reason {
        MEMORY_BUDGET, CALLS_IN_FLIGHT, CALLS_WAITING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.callRefused(this);
    }
}
