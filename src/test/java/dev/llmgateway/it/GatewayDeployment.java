package dev.llmgateway.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The WAR the build produced, with the test configuration merged into its microprofile-config.properties:
 * the dummy default plus providers and models pointing at the {@link UpstreamStub}.
 */
public final class GatewayDeployment {

    public static final String PROVIDER_KEY = "sk-test-provider-key";
    public static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private GatewayDeployment() {
    }

    public static WebArchive withStubProviders() {
        Map<String, String> config = stubProviders();
        // tracing on, but sampled out entirely: requests must still succeed and nothing may be exported
        config.put("gateway.tracing.enabled", "true");
        config.put("gateway.tracing.endpoint", OtlpReceiver.shared().httpEndpoint());
        config.put("gateway.tracing.protocol", "http/protobuf");
        config.put("gateway.tracing.sample-rate", "0.0");
        config.put("gateway.tracing.service-name", SAMPLED_OUT_SERVICE);
        config.put("otel.bsp.schedule.delay", "100");
        return war(config);
    }

    public static final String SAMPLED_OUT_SERVICE = "gateway-sampled-out";
    public static final long METRIC_INTERVAL_MS = 500;
    public static final String TRACED_SERVICE = "gateway-under-test";
    public static final int CAPTURED_CHARS = 40;

    /**
     * The stub providers plus a function, a fallback model and a slow dummy stream, exporting every trace to the
     * {@link OtlpReceiver}: configured with the gateway.tracing.* settings, or with plain otel.* properties.
     */
    public static WebArchive withTracing(String protocol, boolean gatewaySettings) {
        Map<String, String> config = stubProviders();
        fallbackAndSlowStream(config);
        config.put("gateway.function.summarize.variants", "concise");
        config.put("gateway.function.summarize.variant.concise.model", "dummy");
        String endpoint = protocol.equals("grpc") ? OtlpReceiver.shared().grpcEndpoint() : OtlpReceiver.shared().httpEndpoint();
        if (gatewaySettings) {
            config.put("gateway.tracing.enabled", "true");
            config.put("gateway.tracing.endpoint", endpoint);
            config.put("gateway.tracing.protocol", protocol);
            config.put("gateway.tracing.service-name", TRACED_SERVICE);
            config.put("gateway.tracing.capture-content", "true");
            config.put("gateway.tracing.capture-content-max-chars", Integer.toString(CAPTURED_CHARS));
            config.put("gateway.tracing.headers", "x-static=configured");
            config.put("gateway.metrics.otlp.enabled", "true");
            config.put("gateway.metrics.otlp.interval-ms", Long.toString(METRIC_INTERVAL_MS));
            config.put("gateway.logs.otlp.enabled", "true");
        } else {
            config.put("otel.sdk.disabled", "false");
            config.put("otel.exporter.otlp.traces.endpoint", protocol.equals("grpc") ? endpoint : endpoint + "/v1/traces");
            config.put("otel.exporter.otlp.traces.protocol", protocol);
            config.put("otel.service.name", TRACED_SERVICE);
            config.put("otel.exporter.otlp.headers", "x-static=configured");
            config.put("otel.metrics.exporter", "otlp");
            config.put("otel.exporter.otlp.metrics.endpoint", protocol.equals("grpc") ? endpoint : endpoint + "/v1/metrics");
            config.put("otel.exporter.otlp.metrics.protocol", protocol);
            config.put("otel.metric.export.interval", Long.toString(METRIC_INTERVAL_MS));
            config.put("otel.logs.exporter", "otlp");
            config.put("otel.exporter.otlp.logs.endpoint", protocol.equals("grpc") ? endpoint : endpoint + "/v1/logs");
            config.put("otel.exporter.otlp.logs.protocol", protocol);
        }
        config.put("otel.blrp.schedule.delay", "100");
        config.put("otel.bsp.schedule.delay", "100");
        // the default body limit: one request may carry megabytes of client values (the oversized-request test)
        config.put("gateway.request.max-body-bytes", Long.toString(8L * 1024 * 1024));
        config.put("gateway.tracing.request-export.allowed-resource-keys", "deployment.environment");
        // the tenants test names a dozen header sets at once; the flood budget is tested on its own
        config.put("gateway.tracing.request-export.new-exporters-per-second", "100");
        return war(config);
    }

    public static final String OPENINFERENCE_SERVICE = "gateway-openinference";

    /** The stub providers, every span exported in the OpenInference format with content on. */
    public static WebArchive withOpenInference() {
        Map<String, String> config = stubProviders();
        config.put("gateway.tracing.enabled", "true");
        config.put("gateway.tracing.endpoint", OtlpReceiver.shared().httpEndpoint());
        config.put("gateway.tracing.protocol", "http/protobuf");
        config.put("otel.blrp.schedule.delay", "100");
        config.put("gateway.tracing.service-name", OPENINFERENCE_SERVICE);
        config.put("gateway.tracing.capture-content", "true");
        config.put("gateway.tracing.format", "openinference");
        config.put("otel.bsp.schedule.delay", "100");
        return war(config);
    }

    public static final String CLIENT_KEY = "gw-planted-client-key-5f2c9d";
    public static final String PROVIDER_HEADER_SECRET = "pk-planted-header-secret-b81e";

    /** The stub providers with room for {@link #MAX_CALLS_IN_FLIGHT} calls at once, tracing on and sampled. */
    public static WebArchive withCallLimit() {
        Map<String, String> config = stubProviders();
        config.put("gateway.calls.max-in-flight", Integer.toString(MAX_CALLS_IN_FLIGHT));
        tracedOverHttp(config, CONCURRENCY_SERVICE);
        config.put("otel.bsp.schedule.delay", "100");
        config.put("otel.bsp.max.queue.size", "16384");
        return war(config);
    }

    /** Every span exported over HTTP/protobuf to the shared receiver, under its own service name. */
    private static void tracedOverHttp(Map<String, String> config, String service) {
        config.put("gateway.tracing.enabled", "true");
        config.put("gateway.tracing.endpoint", OtlpReceiver.shared().httpEndpoint());
        config.put("gateway.tracing.protocol", "http/protobuf");
        config.put("gateway.tracing.service-name", service);
    }

    public static final int MAX_CALLS_IN_FLIGHT = 2_000;
    public static final String CONCURRENCY_SERVICE = "gateway-many-calls";

    /** The stub providers behind a gateway key (named team-a), tracing on, /metrics protected. */
    public static WebArchive withApiKeys() {
        Map<String, String> config = stubProviders();
        config.put("gateway.auth.keys", "team-a");
        config.put("gateway.auth.key.team-a.sha256", sha256(CLIENT_KEY));
        config.put("gateway.auth.protect-metrics", "true");
        config.put("gateway.provider.stub.header.x-portkey-api-key", PROVIDER_HEADER_SECRET);
        tracedOverHttp(config, "gateway-with-keys");
        config.put("otel.bsp.schedule.delay", "100");
        return war(config);
    }

    public static final String TENANT_KEY = "gw-planted-tenant-key-0c7d41";
    public static final String TENANT_EXPORT_SECRET = "tt-planted-export-token-e5a9";
    public static final String ALLOWED_ORIGIN = "https://app.example.com";
    public static final String SECURED_SERVICE = "gateway-secured";

    /**
     * Two gateway keys with /metrics left open: team-a may set any export header, team-b's spans always carry its
     * tenant token and it may set only x-user. One browser origin allowed. Traces over HTTP/protobuf.
     */
    public static WebArchive withKeysAndOpenMetrics() {
        Map<String, String> config = stubProviders();
        config.put("gateway.auth.key.team-a.sha256", sha256(CLIENT_KEY));
        config.put("gateway.auth.key.team-b.sha256", sha256(TENANT_KEY));
        config.put("gateway.auth.key.team-b.export-header.x-tenant-token", TENANT_EXPORT_SECRET);
        config.put("gateway.auth.key.team-b.allowed-export-headers", "x-user");
        config.put("gateway.cors.allowed-origins", ALLOWED_ORIGIN);
        tracedOverHttp(config, SECURED_SERVICE);
        config.put("gateway.tracing.request-export.new-exporters-per-second", "5");
        config.put("gateway.tracing.request-export.max-exporters", "16");
        config.put("otel.bsp.schedule.delay", "100");
        return war(config);
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> stubProviders() {
        UpstreamStub stub = UpstreamStub.shared();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.test.stub-key", PROVIDER_KEY);
        config.put("gateway.providers", "dummy,stub,stub-renamed,stub-impatient,nowhere,resetting,black-holed");
        config.put("gateway.provider.black-holed.type", "openai");
        config.put("gateway.provider.black-holed.base-url", BlackHoledPort.shared().baseUrl());
        config.put("gateway.provider.black-holed.connect-timeout-ms", "300");
        config.put("gateway.provider.resetting.type", "openai");
        config.put("gateway.provider.resetting.base-url", ResettingUpstream.shared().baseUrl());
        config.put("gateway.provider.stub.type", "openai");
        config.put("gateway.provider.stub.base-url", stub.baseUrl());
        // an expression, as users write ${OPENAI_API_KEY}
        config.put("gateway.provider.stub.api-key", "${gateway.test.stub-key}");
        config.put("gateway.provider.stub.header.X-Team", "gateway-tests");
        config.put("gateway.provider.stub-renamed.type", "openai");
        config.put("gateway.provider.stub-renamed.base-url", stub.baseUrl());
        config.put("gateway.provider.stub-renamed.model", "echo-model");
        config.put("gateway.provider.stub-impatient.type", "openai");
        config.put("gateway.provider.stub-impatient.base-url", stub.baseUrl());
        config.put("gateway.provider.stub-impatient.first-byte-timeout-ms", "500");
        config.put("gateway.provider.nowhere.type", "openai");
        config.put("gateway.provider.nowhere.base-url", "http://127.0.0.1:1/v1");
        config.put("gateway.models", "dummy,echo-model,renamed,fail-500,fail-401,fail-400,fail-429,slow,break-mid-stream,endless-stream,unreachable,"
                + "malformed-json,malformed-sse,reset-before-answer,reset-mid-body,reset-mid-stream,connect-timeout,all-at-once,held-open-stream,late-stream,"
                + "five-seconds,held,firehose");
        config.put("gateway.model.connect-timeout.routing", "black-holed");
        for (String model : new String[]{"reset-before-answer", "reset-mid-body", "reset-mid-stream"}) {
            config.put("gateway.model." + model + ".routing", "resetting");
        }
        for (String model : new String[]{"echo-model", "fail-500", "fail-401", "fail-400", "fail-429", "break-mid-stream", "endless-stream",
                "malformed-json", "malformed-sse", "all-at-once", "held-open-stream", "late-stream", "five-seconds", "held", "firehose"}) {
            config.put("gateway.model." + model + ".routing", "stub");
        }
        config.put("gateway.model.renamed.routing", "stub-renamed");
        config.put("gateway.model.slow.routing", "stub-impatient");
        config.put("gateway.model.unreachable.routing", "nowhere");
        config.put("gateway.request.max-body-bytes", Long.toString(MAX_BODY_BYTES));
        return config;
    }

    public static final int SPAN_QUEUE = 256; // a power of two: the SDK rounds its queue up to one

    /** The stub providers with tracing, metrics and log records on to a {@link FaultyCollector}, refusing connections unless a test says otherwise. */
    public static WebArchive withCollectorDown() {
        Map<String, String> config = stubProviders();
        config.put("gateway.tracing.enabled", "true");
        config.put("gateway.tracing.endpoint", FaultyCollector.shared().endpoint());
        config.put("gateway.tracing.protocol", "http/protobuf");
        config.put("otel.bsp.schedule.delay", "100");
        config.put("otel.bsp.max.queue.size", Integer.toString(SPAN_QUEUE));
        config.put("otel.bsp.max.export.batch.size", "50");
        config.put("otel.exporter.otlp.timeout", "500");
        config.put("gateway.metrics.otlp.enabled", "true");
        config.put("gateway.metrics.otlp.interval-ms", "100");
        config.put("gateway.logs.otlp.enabled", "true");
        config.put("otel.blrp.schedule.delay", "100");
        return war(config);
    }

    /** Providers that fail in every way, models that fall back across them, functions with variants, Anthropic and Azure; tracing off, log records exported. */
    public static WebArchive withRouting() {
        UpstreamStub stub = UpstreamStub.shared();
        Map<String, String> config = new LinkedHashMap<>();
        openAi(config, "p-500", stub.baseUrl(), "fail-500");
        openAi(config, "p-slow", stub.baseUrl(), "slow");
        config.put("gateway.provider.p-slow.first-byte-timeout-ms", "300");
        openAi(config, "p-refused", "http://127.0.0.1:1/v1", "echo-model");
        openAi(config, "p-429", stub.baseUrl(), "fail-429");
        openAi(config, "p-ok", stub.baseUrl(), "echo-model");
        openAi(config, "p-flaky", stub.baseUrl(), "flaky");
        config.put("gateway.provider.p-flaky.retries", "2");
        config.put("gateway.provider.p-flaky.retry-backoff-ms", "20");
        openAi(config, "p-rate-limited", stub.baseUrl(), "rate-limited-once");
        config.put("gateway.provider.p-rate-limited.retries", "1");
        config.put("gateway.provider.p-rate-limited.retry-max-backoff-ms", "3000");
        openAi(config, "p-bad-request", stub.baseUrl(), "fail-400");
        config.put("gateway.provider.claude.type", "anthropic");
        config.put("gateway.provider.claude.base-url", stub.baseUrl());
        config.put("gateway.provider.claude.api-key", "sk-ant-test");
        config.put("gateway.provider.claude.model", "claude-sonnet-4-5");
        config.put("gateway.provider.azure.type", "azure");
        config.put("gateway.provider.azure.base-url", stub.baseUrl().replace("/v1", ""));
        config.put("gateway.provider.azure.api-key", "azure-test-key");
        config.put("gateway.provider.azure.model", "gpt-4o-mini");

        config.put("gateway.model.resilient.routing", "p-500,p-slow,p-refused,p-429,p-ok");
        config.put("gateway.model.doomed.routing", "p-500,p-refused");
        config.put("gateway.model.flaky.routing", "p-flaky");
        config.put("gateway.model.patient.routing", "p-rate-limited");
        config.put("gateway.model.picky.routing", "p-bad-request,p-ok");
        config.put("gateway.model.claude.routing", "claude");
        config.put("gateway.model.azure-gpt.routing", "azure");
        config.put("gateway.model.echo.routing", "p-ok");
        config.put("gateway.model.claude-or-echo.routing", "claude,p-ok");
        config.put("gateway.model.dummy.aliases", "claude-test-*");
        config.put("gateway.model." + SlowListener.MODEL + ".routing", "p-ok");

        config.put("gateway.function.summarize.variants", "a,b");
        config.put("gateway.function.summarize.variant.a.model", "dummy");
        config.put("gateway.function.summarize.variant.a.weight", "3");
        config.put("gateway.function.summarize.variant.b.model", "dummy");
        config.put("gateway.function.summarize.variant.b.weight", "1");
        config.put("gateway.function.explain.variants", "templated");
        config.put("gateway.function.explain.variant.templated.model", "echo");
        config.put("gateway.function.explain.variant.templated.system-prompt", "Explain {{topic}} to a {{audience}}.");
        config.put("gateway.function.explain.variant.templated.param.temperature", "0.3");
        // tracing off, the inference log records on: the SDK runs without sampling or exporting a span
        config.put("gateway.logs.otlp.enabled", "true");
        config.put("gateway.tracing.endpoint", OtlpReceiver.shared().httpEndpoint());
        config.put("gateway.tracing.protocol", "http/protobuf");
        config.put("gateway.tracing.service-name", ROUTING_SERVICE);
        config.put("otel.blrp.schedule.delay", "100");
        return war(config).addClass(SlowListener.class);
    }

    public static final String ROUTING_SERVICE = "gateway-routing";

    private static void openAi(Map<String, String> config, String name, String baseUrl, String upstreamModel) {
        config.put("gateway.provider." + name + ".type", "openai");
        config.put("gateway.provider." + name + ".base-url", baseUrl);
        config.put("gateway.provider." + name + ".model", upstreamModel);
    }

    public static final String LEDGER_SERVICE = "gateway-ledger";
    public static final String ADMIN_KEY = "adm-planted-admin-key-7c41e0";
    public static final String OTHER_CLIENT_KEY = "gw-planted-other-key-93ab1d";
    public static final int LEDGER_QUEUE = 1_000;

    /**
     * The stub providers priced, recording to the tests' PostgreSQL through the server's data source, traced to the
     * {@link OtlpReceiver}, with two gateway keys and the admin key.
     */
    public static WebArchive withLedger() {
        LedgerPostgres.shared();
        Map<String, String> config = stubProviders();
        tracedOverHttp(config, LEDGER_SERVICE);
        config.put("otel.bsp.schedule.delay", "100");
        config.put("otel.bsp.max.queue.size", "16384");
        fallbackAndSlowStream(config);
        config.put("gateway.auth.keys", "team-a,team-b");
        config.put("gateway.auth.key.team-a.sha256", sha256(CLIENT_KEY));
        config.put("gateway.auth.key.team-b.sha256", sha256(OTHER_CLIENT_KEY));
        priced(config);
        config.put("gateway.price.echo-model.cache-read", "1.25");
        config.put("gateway.price.stub-renamed/fallback.input", "3");
        config.put("gateway.price.stub-renamed/fallback.output", "15");
        config.put("gateway.price.slow-stream.input", "1");
        config.put("gateway.price.slow-stream.output", "1");
        config.put("gateway.ledger.datasource", "jdbc/llm-gateway-ledger");
        config.put("gateway.ledger.queue-capacity", Integer.toString(LEDGER_QUEUE));
        config.put("gateway.ledger.flush-interval-ms", "50");
        config.put("gateway.ledger.retention-interval-ms", "1000");
        config.put("gateway.ledger.trace-url", "http://traces.example/trace/{trace_id}");
        config.put("gateway.tracing.capture-content", "true");
        return war(config);
    }

    /** The stub providers priced, recording to the embedded default (an H2 file under target/), with the admin key. */
    public static WebArchive withEmbeddedLedger() {
        Map<String, String> config = stubProviders();
        priced(config);
        config.put("gateway.ledger.flush-interval-ms", "50");
        return war(config);
    }

    /** A model that falls back past a provider answering 500, and a dummy stream 200 ms per chunk. */
    private static void fallbackAndSlowStream(Map<String, String> config) {
        config.put("gateway.providers", config.get("gateway.providers") + ",p-500,dummy-slow");
        config.put("gateway.provider.p-500.type", "openai");
        config.put("gateway.provider.p-500.base-url", UpstreamStub.shared().baseUrl());
        config.put("gateway.provider.p-500.model", "fail-500");
        config.put("gateway.provider.dummy-slow.type", "dummy");
        config.put("gateway.provider.dummy-slow.chunk-delay-ms", "200");
        config.put("gateway.model.fallback.routing", "p-500,stub-renamed");
        config.put("gateway.model.slow-stream.routing", "dummy-slow");
    }

    /** The admin key, and prices for the dummy and the stub's echo model. */
    private static void priced(Map<String, String> config) {
        config.put("gateway.admin.key.sha256", sha256(ADMIN_KEY));
        config.put("gateway.price.dummy.input", "1.5");
        config.put("gateway.price.dummy.output", "6");
        config.put("gateway.price.echo-model.input", "2.5");
        config.put("gateway.price.echo-model.output", "10");
    }

    static WebArchive war(Map<String, String> overrides) {
        File built = new File(System.getProperty("gateway.war", "target/llm-gateway.war"));
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, built);
        Properties config = new Properties();
        try (InputStream in = war.get(CONFIG).getAsset().openStream()) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.putAll(overrides);
        // every deployment records to the embedded database by default: one file per runtime under target/
        config.putIfAbsent("gateway.ledger.embedded-path", java.nio.file.Path.of("target", "it-ledger",
                System.getProperty("arquillian.launch", "server"), "ledger").toAbsolutePath().toString());
        StringWriter text = new StringWriter();
        try {
            config.store(text, "test configuration");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        war.delete(CONFIG);
        war.add(new StringAsset(text.toString()), CONFIG);
        // its own name: the test server's server.xml already declares an application called llm-gateway
        return ShrinkWrap.create(WebArchive.class, "gateway-it.war").merge(war);
    }
}
