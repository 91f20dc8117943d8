package dev.llmgateway.config;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's own MicroProfile Config, looked up by its class loader. An injected {@code Config} follows the
 * thread's context class loader, and Payara Micro serves its health endpoint on threads whose loader is not the
 * application's: a bean first touched there read an empty configuration for the life of the process.
 */
public final class ApplicationConfig {

    private ApplicationConfig() {
    }

    public static Config get() {
        return ConfigProvider.getConfig(ApplicationConfig.class.getClassLoader());
    }
}
