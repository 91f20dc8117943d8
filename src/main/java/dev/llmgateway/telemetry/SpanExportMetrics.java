package dev.llmgateway.telemetry;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Wraps the span exporter the runtime configures for the gateway, so that exported and failed spans are
 * counted. Loaded through the autoconfigure SPI by the per-application SDK both runtimes give the gateway.
 */
public class SpanExportMetrics implements AutoConfigurationCustomizerProvider {

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addSpanExporterCustomizer((exporter, config) -> new CountingSpanExporter(exporter));
    }
}
