package dev.llmgateway.events;

/**
 * An inference's prompt and answer as content capture renders them for its spans (bounded by
 * {@code gateway.tracing.capture-content-max-chars}); both null when capture is off or the operation has none.
 * Written by the telemetry while the inference runs, read by listeners once it has ended.
 */
public final class CapturedContent {

    private volatile String input;
    private volatile String output;

    public String input() {
        return input;
    }

    public void input(String messages) {
        input = messages;
    }

    public String output() {
        return output;
    }

    public void output(String messages) {
        output = messages;
    }
}
