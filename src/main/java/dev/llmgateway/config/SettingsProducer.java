package dev.llmgateway.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.logging.Logger;

/** Binds the configuration once, at deployment, so that a bad value stops the deployment, not a request. */
@ApplicationScoped
public class SettingsProducer {

    private static final Logger LOG = Logger.getLogger(SettingsProducer.class.getName());

    @Inject
    Config config;

    private GatewaySettings settings;

    @PostConstruct
    void bind() {
        settings = SettingsBinder.bind(new MicroProfileConfigView(config));
        LOG.info(() -> "LLM gateway configured: providers " + settings.providers().keySet()
                + ", models " + settings.models().keySet());
    }

    void bindAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // observing startup is what makes this bean, and so the binding, eager
    }

    @Produces // dependent scope: a record cannot be proxied, and the instance is shared anyway
    GatewaySettings settings() {
        return settings;
    }
}
