package dev.llmgateway.telemetry;

import dev.llmgateway.config.TracingSettings;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code otel.*} properties MicroProfile Telemetry reads: the gateway's defaults, and values derived from
 * its friendlier {@code gateway.tracing.*} settings wherever those are set (file, server.xml variable, system
 * property, environment). It yields every property that another source sets explicitly ({@code OTEL_*}
 * variables, {@code -Dotel.*}), and never lists a name another source lists: Payara fails deployment on a
 * property name that two sources both list.
 */
public class TracingConfigSource implements ConfigSource {

    static final String TRACING_ENABLED = "gateway.tracing.enabled";
    static final String METRICS_ENABLED = dev.llmgateway.config.SettingsBinder.METRICS_OTLP + "enabled";
    static final String LOGS_ENABLED = dev.llmgateway.config.SettingsBinder.LOGS_OTLP_ENABLED;

    /** otel property → the gateway setting it comes from, how its value is derived, and its default. */
    private static final Map<String, Derivation> DERIVED = Map.ofEntries(
            // on for traces, or for metrics or logs alone: then no span is sampled and none exported
            Map.entry("otel.sdk.disabled", Derivation.computed(config -> Boolean.toString(!tracing(config) && !metrics(config) && !logs(config)))),
            Map.entry("otel.exporter.otlp.endpoint", new Derivation("gateway.tracing.endpoint", Function.identity(), null)),
            Map.entry("otel.exporter.otlp.protocol", new Derivation("gateway.tracing.protocol", Function.identity(), null)),
            Map.entry("otel.exporter.otlp.certificate", new Derivation("gateway.tracing.ca-certificate", Function.identity(), null)),
            Map.entry("otel.exporter.otlp.headers", new Derivation("gateway.tracing.headers", Function.identity(), null)),
            Map.entry("otel.traces.sampler.arg", Derivation.computed(config -> withoutTraces(config) ? "0.0"
                    : config.getOptionalValue("gateway.tracing.sample-rate", String.class).filter(v -> !v.isBlank()).orElse("1.0"))),
            Map.entry("otel.service.name", new Derivation("gateway.tracing.service-name", Function.identity(), "llm-gateway")),
            Map.entry("otel.resource.attributes", new Derivation("gateway.tracing.resource-attributes", Function.identity(), null)),
            // no client-supplied value (a User-Agent, a stop sequence, a prompt) makes a span too big for the collector
            Map.entry("otel.attribute.value.length.limit", new Derivation("gateway.tracing.attribute-value-max-length", Function.identity(),
                    Integer.toString(TracingSettings.DEFAULT_MAX_ATTRIBUTE_CHARS))),
            Map.entry("otel.traces.sampler", new Derivation(null, null, GatewaySamplerProvider.NAME)),
            Map.entry("otel.traces.exporter", Derivation.computed(config -> withoutTraces(config) ? "none" : "otlp")),
            Map.entry("otel.metrics.exporter", new Derivation(METRICS_ENABLED, TracingConfigSource::otlpIfTrue, "none")),
            Map.entry("otel.metric.export.interval", new Derivation("gateway.metrics.otlp.interval-ms", Function.identity(), null)),
            Map.entry("otel.exporter.otlp.metrics.temporality.preference", new Derivation("gateway.metrics.otlp.temporality", Function.identity(), null)),
            Map.entry("otel.logs.exporter", new Derivation(LOGS_ENABLED, TracingConfigSource::otlpIfTrue, "none")),
            // the SDK's 512-span batches and 2,048-span queue shed spans at the gateway's rates: bigger batches let the
            // one export thread keep up, the longer queue absorbs bursts (~16 MB at most); docs/tracing.md has the figures
            Map.entry("otel.bsp.max.export.batch.size", new Derivation(null, null, "2048")),
            Map.entry("otel.bsp.max.queue.size", new Derivation(null, null, "16384")),
            // spans waiting for a full batch outlive a young collection and are copied by it: exported within 20 ms,
            // they die young
            Map.entry("otel.bsp.schedule.delay", new Derivation(null, null, "20")),
            // one log record per inference: batched and queued as spans are, for the same reasons
            Map.entry("otel.blrp.max.export.batch.size", new Derivation(null, null, "2048")),
            Map.entry("otel.blrp.max.queue.size", new Derivation(null, null, "16384")),
            Map.entry("otel.blrp.schedule.delay", new Derivation(null, null, "20")));

    /** A value from one gateway setting, or (computed) from several. */
    private record Derivation(String from, Function<String, String> value, String defaultValue, Function<Config, String> computed) {

        Derivation(String from, Function<String, String> value, String defaultValue) {
            this(from, value, defaultValue, null);
        }

        static Derivation computed(Function<Config, String> computed) {
            return new Derivation(null, null, null, computed);
        }
    }

    /** Tracing on by the gateway's setting, or by an {@code otel.sdk.disabled=false} set in another source. */
    private static boolean tracing(Config config) {
        if (flag(config, TRACING_ENABLED)) {
            return true;
        }
        for (ConfigSource source : config.getConfigSources()) {
            String disabled = source instanceof TracingConfigSource ? null : source.getValue("otel.sdk.disabled");
            if (disabled != null && !Boolean.parseBoolean(disabled.strip())) {
                return true;
            }
        }
        return false;
    }

    /** Whether only the gateway's metrics or logs switched the SDK on: then no span is exported. */
    public static boolean withoutTraces(Config config) {
        return (metrics(config) || logs(config)) && !tracing(config);
    }

    /** Whether the SDK exports metrics: by the gateway's setting, or by an {@code otel.metrics.exporter} set elsewhere. */
    public static boolean metricsExported(Config config) {
        return exported(config, "otel.metrics.exporter");
    }

    /** Whether the SDK exports spans: on, and with a span exporter however it was named. */
    public static boolean tracesExported(Config config) {
        return exported(config, "otel.traces.exporter");
    }

    /** Whether the SDK exports log records: by the gateway's setting, or by an {@code otel.logs.exporter} set elsewhere. */
    public static boolean logsExported(Config config) {
        return exported(config, "otel.logs.exporter");
    }

    private static boolean exported(Config config, String exporter) {
        return !sdkDisabled(config) && !config.getOptionalValue(exporter, String.class).map(String::strip).orElse("none").equals("none");
    }

    private static boolean sdkDisabled(Config config) {
        return config.getOptionalValue("otel.sdk.disabled", Boolean.class).orElse(true);
    }

    /** Whether the gateway's setting asks for the GenAI metrics over OTLP. */
    public static boolean metrics(Config config) {
        return flag(config, METRICS_ENABLED);
    }

    /** Whether the gateway's setting asks for the inference log records over OTLP. */
    public static boolean logs(Config config) {
        return flag(config, LOGS_ENABLED);
    }

    private static boolean flag(Config config, String setting) {
        return config.getOptionalValue(setting, String.class).map(v -> Boolean.parseBoolean(v.strip())).orElse(false);
    }

    private static String otlpIfTrue(String enabled) {
        return Boolean.parseBoolean(enabled.strip()) ? "otlp" : "none";
    }

    /** MicroProfile Telemetry's switch, as the gateway's settings or an explicit otel.sdk.disabled left it. */
    public static boolean sdkEnabled(Config config) {
        return !config.getOptionalValue("otel.sdk.disabled", Boolean.class).orElse(true);
    }

    /** The gateway.tracing.* settings this source translates. */
    public static Set<String> gatewaySettings() {
        Set<String> settings = new TreeSet<>();
        DERIVED.values().stream().map(Derivation::from).filter(Objects::nonNull).forEach(settings::add);
        settings.addAll(Set.of(TRACING_ENABLED, "gateway.tracing.sample-rate"));
        return settings;
    }

    private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> false);

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        for (String name : DERIVED.keySet()) {
            String value = getValue(name);
            if (value != null) {
                properties.put(name, value);
            }
        }
        return properties;
    }

    @Override
    public String getValue(String name) {
        Derivation derivation = DERIVED.get(name);
        if (derivation == null || RESOLVING.get()) {
            return null;
        }
        RESOLVING.set(true);
        try {
            Config config = ConfigProvider.getConfig(TracingConfigSource.class.getClassLoader());
            if (setElsewhere(config, name)) {
                return null;
            }
            if (derivation.computed() != null) {
                return derivation.computed().apply(config);
            }
            if (derivation.from() == null) {
                return derivation.defaultValue();
            }
            Optional<String> setting = config.getOptionalValue(derivation.from(), String.class).filter(v -> !v.isBlank());
            return setting.map(derivation.value()).orElse(derivation.defaultValue());
        } finally {
            RESOLVING.set(false);
        }
    }

    private static boolean setElsewhere(Config config, String name) {
        for (ConfigSource source : config.getConfigSources()) {
            if (!(source instanceof TracingConfigSource) && source.getValue(name) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "llm-gateway tracing settings";
    }
}
