package dev.llmgateway.health;

import dev.llmgateway.config.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway's part of MicroProfile Health at {@code /health}: live once deployed, whatever its state, so that a
 * slow start never has an orchestrator restart it; ready once deployment is complete and serves at least one model.
 * Provider reachability is deliberately not a readiness condition: one slow upstream must not take the whole gateway
 * out of a load balancer.
 */
@ApplicationScoped
public class GatewayHealth {

    private static final String NAME = "llm-gateway";

    @Inject
    GatewaySettings settings;

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.up(NAME);
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> HealthCheckResponse.named(NAME)
                .status(Startup.finished() && !settings.models().isEmpty())
                .withData("models", settings.models().size())
                .withData("providers", settings.providers().size())
                .build();
    }
}
