package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;

import dev.llmgateway.config.SettingsBinder;
import dev.llmgateway.telemetry.GenAiMetrics;
import dev.llmgateway.telemetry.openinference.OpenInferenceExporter;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wraps the span exporter the runtime configures for the gateway: exports are counted, and each request's
 * spans leave with that request's extra headers, attributes and resource, and the span queue is watched. Loaded through the autoconfigure SPI
 * by the per-application SDK both runtimes give the gateway.
 */
public class ExportCustomizer implements AutoConfigurationCustomizerProvider {

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        // the SDK loads this class itself, outside CDI: the deployment's registry and routes are its one way in
        RequestRoutes routes = RequestRoutes.shared();
        GatewayMetrics metrics = GatewayMetrics.shared();
        customizer.addSpanExporterCustomizer((exporter, config) -> routing(exporter, config, routes, metrics));
        customizer.addTracerProviderCustomizer((builder, config) -> builder.addSpanProcessor(new RoutingSpanProcessor(routes)));
        customizer.addMeterProviderCustomizer((builder, config) -> {
            // the conventions' advised buckets, as views: the runtimes' metrics APIs predate advice on instruments
            GenAiMetrics.BUCKETS.forEach((name, buckets) -> builder.registerView(InstrumentSelector.builder().setName(name).build(),
                    View.builder().setAggregation(Aggregation.explicitBucketHistogram(buckets)).build()));
            return builder.registerMetricReader(PeriodicMetricReader.builder(new SpanQueueWatch(metrics)).setInterval(SpanQueueWatch.INTERVAL).build());
        });
    }

    private static SpanExporter routing(SpanExporter exporter, ConfigProperties config, RequestRoutes routes, GatewayMetrics metrics) {
        java.util.List<String> exporters = config.getList("otel.traces.exporter");
        if (!exporters.isEmpty() && exporters.stream().allMatch("none"::equals)) {
            // the SDK is on for metrics or logs alone: no span leaves, so requests' export headers are ignored as with tracing off
            return exporter;
        }
        Map<String, String> staticHeaders = staticHeaders(config);
        ExporterDerivation derivation = null;
        String unavailable = null;
        try {
            derivation = ExporterDerivation.of(exporter);
        } catch (UnsupportedOperationException e) {
            unavailable = e.getMessage();
        }
        ExporterDerivation copies = derivation;
        TenantExporters tenants = new TenantExporters(
                headers -> new CountingSpanExporter(copies.with(asConfigured(headers, staticHeaders)), metrics),
                () -> routes.settings().maxExporters(), () -> routes.settings().newExportersPerSecond(), metrics);
        routes.pipelineBuilt(new RequestRoutes.Pipeline(staticHeaders, unavailable), tenants);
        SpanExporter routing = new RoutingSpanExporter(new CountingSpanExporter(exporter, metrics), tenants, routes, metrics);
        return openInference() ? new OpenInferenceExporter(routing, keepGenAi()) : routing;
    }

    /** Read where the SDK is built, before the settings bean exists; the binder has checked the value at deployment. */
    private static boolean openInference() {
        return config().getOptionalValue(SettingsBinder.TRACE_FORMAT, String.class).map(String::strip).filter("openinference"::equals).isPresent();
    }

    private static boolean keepGenAi() {
        return config().getOptionalValue(SettingsBinder.KEEP_GEN_AI, Boolean.class).orElse(false);
    }

    private static org.eclipse.microprofile.config.Config config() {
        return ConfigProvider.getConfig(ExportCustomizer.class.getClassLoader());
    }

    /** The configured export headers by lower-case name; the traces-specific list wins, as in the SDK. */
    private static Map<String, String> staticHeaders(ConfigProperties config) {
        Map<String, String> configured = config.getMap("otel.exporter.otlp.traces.headers");
        if (configured.isEmpty()) {
            configured = config.getMap("otel.exporter.otlp.headers");
        }
        Map<String, String> names = new TreeMap<>();
        configured.keySet().forEach(name -> names.put(name.toLowerCase(Locale.ROOT), name));
        return names;
    }

    /** A request's header replaces a configured one of the same name only if spelled the same way. */
    private static Map<String, String> asConfigured(Map<String, String> headers, Map<String, String> staticHeaders) {
        Map<String, String> named = new TreeMap<>();
        headers.forEach((name, value) -> named.put(staticHeaders.getOrDefault(name, name), value));
        return named;
    }
}
