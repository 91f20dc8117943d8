package dev.llmgateway.health;

import dev.llmgateway.config.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway's part of MicroProfile Health at {@code /health}: live once deployed, ready once its
 * configuration is bound and serves at least one model. Provider reachability is deliberately not a
 * readiness condition: one slow upstream must not take the whole gateway out of a load balancer.
 */
@Liveness
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {

    @Inject
    GatewaySettings settings;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("llm-gateway")
                .status(Startup.finished() && !settings.models().isEmpty())
                .withData("models", settings.models().size())
                .withData("providers", settings.providers().size())
                .build();
    }
}
