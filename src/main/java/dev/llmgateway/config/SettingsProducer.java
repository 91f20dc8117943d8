package dev.llmgateway.config;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;

import java.util.logging.Logger;

/** Binds the configuration once, at deployment, so that a bad value stops the deployment, not a request. */
@ApplicationScoped
public class SettingsProducer {

    private static final Logger LOG = Logger.getLogger(SettingsProducer.class.getName());

    private GatewaySettings settings;

    @PostConstruct
    void bind() {
        settings = SettingsBinder.bind(new MicroProfileConfigView(ApplicationConfig.get()));
        LOG.info(() -> "LLM gateway configured: providers " + settings.providers().keySet()
                + ", models " + settings.models().keySet());
        if (!dev.llmgateway.json.Json.refusesDuplicateKeys()) {
            LOG.warning("The runtime's JSON-P provider does not refuse duplicate keys (JSON-P 2.1 key strategy): a request that names a key"
                    + " twice is read with its last value");
        }
    }

    /** Observing startup makes this bean, and so the binding, eager: a bad value stops the deployment. */
    void bindAtStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) @Initialized(ApplicationScoped.class) Object ignored) {
        // binding happened when the bean was made
    }

    @Produces // dependent scope: a record cannot be proxied, and the instance is shared anyway
    GatewaySettings settings() {
        return settings;
    }
}
