package dev.llmgateway.telemetry;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/** {@code otel.traces.sampler=gateway}, its ratio in {@code otel.traces.sampler.arg}: see {@link GatewaySampler}. */
public class GatewaySamplerProvider implements ConfigurableSamplerProvider {

    public static final String NAME = "gateway";

    @Override
    public Sampler createSampler(ConfigProperties config) {
        return new GatewaySampler(config.getDouble("otel.traces.sampler.arg", 1.0));
    }

    @Override
    public String getName() {
        return NAME;
    }
}
