package dev.llmgateway.health;

import dev.llmgateway.config.GatewaySettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/** Opens the gateway to requests: observed after every other startup observer, the configuration bound. */
@ApplicationScoped
public class StartupCompletion {

    /** Injected so that the configuration is bound, or the deployment failed, before the gateway opens. */
    @Inject
    GatewaySettings settings;

    void open(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 2000) @Initialized(ApplicationScoped.class) Object ignored) {
        Startup.finish();
    }
}
