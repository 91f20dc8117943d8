package dev.llmgateway.chat;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Map;

/** The OpenAI-compatible API: an OpenAI SDK's base URL is {@code http://host:port/v1}. */
@ApplicationPath("v1")
public class GatewayApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        // Jersey (Payara) buffers responses to learn their length; streams must leave as written. RESTEasy ignores this
        return Map.of("jersey.config.server.outbound.content.length.buffer", 0);
    }
}
