package dev.llmgateway.events;

/**
 * A call a virtual key's limits or allow-lists refused.
 *
 * @param keyLabel the key's name as a metric label: its own for the first keys seen, {@code _OTHER} after
 * @param reason   the limit or check: {@code requests_per_minute}, …, {@code model_not_allowed}, {@code limits_unavailable}
 */
public record LimitRefused(String keyLabel, String reason) implements GatewayEvent {

    @Override
    public void deliverTo(GatewayListener listener) {
        listener.limitRefused(this);
    }
}
