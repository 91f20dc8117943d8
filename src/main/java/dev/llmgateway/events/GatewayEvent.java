package dev.llmgateway.events;

/** Something the gateway did, told to every {@link GatewayListener}. */
public interface GatewayEvent {

    /** Calls the listener's method for this event's type. */
    void deliverTo(GatewayListener listener);
}
