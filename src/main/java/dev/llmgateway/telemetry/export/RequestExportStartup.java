package dev.llmgateway.telemetry.export;

import dev.llmgateway.config.ApplicationConfig;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.telemetry.TracingConfigSource;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.util.logging.Logger;

/** Says at startup, in one line, whether per-request export headers, attributes and resources work here. */
@ApplicationScoped
public class RequestExportStartup {

    private static final Logger LOG = Logger.getLogger(RequestExportStartup.class.getName());
    private static final String FOREIGN_SDK = "tracing is on, but the gateway's exporter customizer never saw a span exporter (no "
            + "otel.traces.exporter, or a runtime-wide SDK such as Open Liberty's with otel.sdk.disabled=false in bootstrap.properties)";

    @Inject
    GatewaySettings settings;

    @Inject
    OpenTelemetry openTelemetry;

    /** The deployment's routes, shared with the classes the SDK loads itself; injected everywhere CDI reaches. */
    @Produces // dependent: the one instance is the SDK's too, and a final class is not proxied
    RequestRoutes routes() {
        return RequestRoutes.shared();
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        RequestRoutes routes = RequestRoutes.shared();
        routes.configure(settings.tracing().requestExport());
        // asking for a tracer makes the runtime build its SDK, running the gateway's customizer, if it has not yet
        openTelemetry.getTracer("llm-gateway");
        routes.pipeline().ifPresentOrElse(pipeline -> {
            if (pipeline.headersUnavailable() != null) {
                LOG.warning("Per-request OTLP export headers are unavailable: " + pipeline.headersUnavailable()
                        + "; requests asking for them get 400. Per-request span and resource attributes work.");
            } else {
                LOG.info("Per-request OTLP export headers, span attributes and resource attributes are available "
                        + "(request headers prefixed gateway-otlp-traces-extra- or tensorzero-otlp-traces-extra-)");
            }
        }, () -> {
            if (TracingConfigSource.tracesExported(ApplicationConfig.get())) {
                routes.unavailable(FOREIGN_SDK);
                LOG.warning("Per-request OTLP export headers, attributes and resources are unavailable: " + FOREIGN_SDK
                        + "; requests asking for them get 400. Tracing itself works.");
            }
        });
    }
}
