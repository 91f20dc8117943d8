package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.ChunkGaps;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.events.LimitRefused;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.ERROR_TYPE;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.OPERATION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER_NAME;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.REQUEST_MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.SERVER_ADDRESS;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.SERVER_PORT;

/**
 * The GenAI semantic conventions' metrics, exported over OTLP when {@code gateway.metrics.otlp.enabled}: per provider
 * call the client's ({@code gen_ai.client.*}), per inference the gateway's as the server its clients call
 * ({@code gen_ai.server.*}). Bucket boundaries are the conventions' advice, set as views where the SDK is built
 * ({@link #BUCKETS}), since the runtimes' metrics APIs predate advice on instruments.
 */
@ApplicationScoped
public class GenAiMetrics implements GatewayListener {

    @Inject
    GatewaySettings settings;

    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("gateway.endpoint");
    static final AttributeKey<String> STATUS_CLASS = AttributeKey.stringKey("http.response.status_class");

    private static final List<Double> TOKENS = List.of(1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d, 262144d, 1048576d, 4194304d,
            16777216d, 67108864d);
    private static final List<Double> DURATION = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    private static final List<Double> FIRST = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final List<Double> PER_CHUNK = List.of(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);

    /** Each instrument's advised bucket boundaries, by name. */
    public static final Map<String, List<Double>> BUCKETS = Map.of(
            "gen_ai.client.token.usage", TOKENS,
            "gen_ai.client.operation.duration", DURATION,
            "gen_ai.client.operation.time_to_first_chunk", DURATION,
            "gen_ai.client.operation.time_per_output_chunk", ChunkGaps.BOUNDS,
            "gen_ai.server.request.duration", DURATION,
            "gen_ai.server.time_to_first_token", FIRST,
            "gen_ai.server.time_per_output_token", PER_CHUNK,
            "gateway.overhead", List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0));

    @Inject
    OpenTelemetry openTelemetry;

    private LongHistogram tokenUsage;
    private DoubleHistogram operationDuration;
    private DoubleHistogram timeToFirstChunk;
    private DoubleHistogram timePerOutputChunk;
    private DoubleHistogram serverDuration;
    private DoubleHistogram serverTimeToFirstToken;
    private DoubleHistogram serverTimePerOutputToken;
    private LongCounter requests;
    private LongCounter limitRefusals;
    private DoubleHistogram overhead;
    private boolean enabled;

    /** Instruments on the given OpenTelemetry for the given providers, outside CDI. */
    public static GenAiMetrics on(OpenTelemetry openTelemetry, GatewaySettings settings) {
        GenAiMetrics metrics = new GenAiMetrics();
        metrics.openTelemetry = openTelemetry;
        metrics.settings = settings;
        metrics.create(true);
        return metrics;
    }

    @PostConstruct
    void create() {
        create(TracingConfigSource.metricsExported(dev.llmgateway.config.ApplicationConfig.get()));
    }

    /** Measured only when they leave: the SDK's meter provider is real whenever tracing is on. */
    void create(boolean exported) {
        enabled = exported;
        create(exported ? openTelemetry.getMeter("llm-gateway") : OpenTelemetry.noop().getMeter("llm-gateway"));
    }

    private void create(Meter meter) {
        tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used").build();
        operationDuration = seconds(meter, "gen_ai.client.operation.duration", "GenAI operation duration");
        timeToFirstChunk = seconds(meter, "gen_ai.client.operation.time_to_first_chunk", "Time to receive the first chunk of a streamed answer");
        timePerOutputChunk = seconds(meter, "gen_ai.client.operation.time_per_output_chunk", "Time per output chunk after the first");
        serverDuration = seconds(meter, "gen_ai.server.request.duration", "Generative AI server request duration");
        serverTimeToFirstToken = seconds(meter, "gen_ai.server.time_to_first_token", "Time to generate first token for successful responses");
        serverTimePerOutputToken = seconds(meter, "gen_ai.server.time_per_output_token",
                "Time per output token generated after the first token for successful responses");
        limitRefusals = meter.counterBuilder("gateway.limit.refusals").setUnit("{request}")
                .setDescription("Calls of virtual keys refused, by reason and key (the first gateway.keys.labelled-keys names, then _OTHER)").build();
        requests = meter.counterBuilder("gateway.requests").setUnit("{request}").setDescription("API requests, by endpoint and status class").build();
        overhead = seconds(meter, "gateway.overhead", "Time a request spent in the gateway itself: its duration less the time spent waiting for providers");
    }

    private static DoubleHistogram seconds(Meter meter, String name, String description) {
        return meter.histogramBuilder(name).setUnit("s").setDescription(description).build();
    }

    /** Whether anything is measured: with the export off, the request path builds no attributes for it. */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public boolean readsChunkGaps() {
        return enabled;
    }

    /**
     * A provider call that ended: its duration, its time to first chunk and between chunks when it streamed, and the
     * tokens the provider reported, however it ended (as gateway_tokens_total counts them). A client that left ended the
     * call, not the provider: counted without an error.
     */
    @Override
    public void attemptEnded(AttemptEnded attempt) {
        if (!enabled) {
            return;
        }
        Attributes call = call(settings.providers().get(attempt.provider()), attempt.inference().operationName(), attempt.requestModel());
        if (attempt.firstChunkNanos() >= 0) {
            timeToFirstChunk.record(seconds(attempt.firstChunkNanos()), call);
        }
        attempt.chunkGaps().forEach((nanos, times) -> {
            for (long i = 0; i < times; i++) {
                timePerOutputChunk.record(seconds(nanos), call);
            }
        });
        Attributes ended = withResponse(call, attempt.responseModel(), attempt.errorType());
        operationDuration.record(seconds(attempt.durationNanos()), ended);
        Usage usage = attempt.usage();
        if (usage.inputTokens() >= 0) {
            tokenUsage.record(usage.inputTokens(), ended.toBuilder().put(TOKEN_TYPE, "input").build());
        }
        if (usage.outputTokens() >= 0) {
            tokenUsage.record(usage.outputTokens(), ended.toBuilder().put(TOKEN_TYPE, "output").build());
        }
    }

    /**
     * An inference the gateway served, however it ended (as gateway_inferences_total counts it): its duration; for a
     * stream that completed its time to first token, and the time per output token after it when the provider counted them.
     */
    @Override
    public void inferenceEnded(InferenceEnded ended) {
        if (!enabled) {
            return;
        }
        AttributesBuilder builder = Attributes.builder().put(OPERATION, ended.inference().operationName()).put(REQUEST_MODEL, ended.inference().model());
        if (ended.provider() != null) {
            builder.put(PROVIDER_NAME, GenAiAttributes.providerName(settings.providers().get(ended.provider())));
        }
        Attributes attributes = withResponse(builder.build(), null, ended.errorType());
        serverDuration.record(seconds(ended.durationNanos()), attributes);
        if (ended.errorType() != null || ended.firstChunkNanos() < 0) {
            return;
        }
        serverTimeToFirstToken.record(seconds(ended.firstChunkNanos()), attributes);
        if (ended.usage().outputTokens() > 1) {
            serverTimePerOutputToken.record(seconds(ended.durationNanos() - ended.firstChunkNanos()) / (ended.usage().outputTokens() - 1), attributes);
        }
    }

    /** An API request answered: the gateway's own counters, beside gateway_requests_total and gateway_overhead_seconds. */
    @Override
    public void limitRefused(LimitRefused refusal) {
        if (enabled) {
            limitRefusals.add(1, Attributes.of(LIMIT_REASON, refusal.reason(), LIMIT_KEY, refusal.keyLabel()));
        }
    }

    private static final io.opentelemetry.api.common.AttributeKey<String> LIMIT_REASON = io.opentelemetry.api.common.AttributeKey.stringKey("gateway.limit.reason");
    private static final io.opentelemetry.api.common.AttributeKey<String> LIMIT_KEY = io.opentelemetry.api.common.AttributeKey.stringKey("gateway.api_key");

    @Override
    public void requestAnswered(RequestAnswered request) {
        if (!enabled) {
            return;
        }
        requests.add(1, Attributes.of(ENDPOINT, request.endpoint(), STATUS_CLASS, (request.status() / 100) + "xx"));
        overhead.record(seconds(Math.max(0, request.durationNanos() - request.upstreamNanos())), Attributes.of(ENDPOINT, request.endpoint()));
    }

    /** The attributes of one provider call: operation, provider, model asked for, where it went. */
    private static Attributes call(ProviderSettings provider, String operation, String requestModel) {
        AttributesBuilder attributes = Attributes.builder().put(OPERATION, operation)
                .put(PROVIDER_NAME, GenAiAttributes.providerName(provider)).put(REQUEST_MODEL, requestModel);
        provider.baseUrl().ifPresent(url -> attributes.put(SERVER_ADDRESS, url.getHost()).put(SERVER_PORT, (long) GenAiAttributes.port(url)));
        return attributes.build();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private Attributes withResponse(Attributes base, String responseModel, String errorType) {
        String model = responseModel(responseModel);
        if (model == null && errorType == null) {
            return base;
        }
        AttributesBuilder attributes = base.toBuilder();
        if (model != null) {
            attributes.put(RESPONSE_MODEL, model);
        }
        if (errorType != null) {
            attributes.put(ERROR_TYPE, errorType);
        }
        return attributes.build();
    }

    /**
     * The model the upstream says answered, as a label: only what looks like a model's name, and past the first
     * {@link #RESPONSE_MODELS} distinct names {@code _OTHER}, so that an upstream naming a new model per answer
     * cannot grow the series without bound.
     */
    private String responseModel(String name) {
        if (name == null || !MODEL_NAME.matcher(name).matches()) {
            return null;
        }
        if (responseModels.contains(name)) {
            return name;
        }
        synchronized (responseModels) {
            if (responseModels.size() >= RESPONSE_MODELS && !responseModels.contains(name)) {
                return "_OTHER";
            }
            responseModels.add(name);
            return name;
        }
    }

    private static final java.util.regex.Pattern MODEL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._:/@+-]{1,128}");
    static final int RESPONSE_MODELS = 256;
    private final java.util.Set<String> responseModels = java.util.concurrent.ConcurrentHashMap.newKeySet();

}
