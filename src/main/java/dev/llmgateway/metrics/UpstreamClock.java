package dev.llmgateway.metrics;

import jakarta.enterprise.context.RequestScoped;

/** Time one request spent waiting for providers, so that the rest can be counted as the gateway's overhead. */
@RequestScoped
public class UpstreamClock {

    private long nanos;

    public void add(long waited) {
        nanos += waited;
    }

    public long nanos() {
        return nanos;
    }
}
