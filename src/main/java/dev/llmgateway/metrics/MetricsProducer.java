package dev.llmgateway.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the deployment's metrics injectable. */
@ApplicationScoped
public class MetricsProducer {

    @Produces
    GatewayMetrics metrics() {
        return GatewayMetrics.shared();
    }
}
