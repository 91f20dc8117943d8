package dev.llmgateway.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The OpenAI-compatible API: an OpenAI SDK's base URL is {@code http://host:port/v1}. */
@ApplicationPath("v1")
public class GatewayApplication extends Application {
}
