package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.ChunkGaps;
import dev.llmgateway.events.Inference;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.testing.SettingsFrom;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;

import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class GenAiMetricsTest {

    private final List<MetricData> exported = new CopyOnWriteArrayList<>();
    private final SdkMeterProvider provider = SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(new Collecting()).setInterval(Duration.ofHours(1)).build()).build();
    private final OpenTelemetry sdk = new OpenTelemetry() {
        @Override
        public TracerProvider getTracerProvider() {
            return TracerProvider.noop();
        }

        @Override
        public io.opentelemetry.api.metrics.MeterProvider getMeterProvider() {
            return provider;
        }

        @Override
        public ContextPropagators getPropagators() {
            return ContextPropagators.noop();
        }
    };

    @AfterEach
    void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    private static final GatewaySettings SETTINGS = SettingsFrom.properties(Map.of("gateway.providers", "up", "gateway.provider.up.type", "openai",
            "gateway.provider.up.base-url", "http://127.0.0.1:9/v1", "gateway.model.m.routing", "up"));
    private static final Inference INFERENCE = new Inference("id", Operation.CHAT, null, null, "m", "", Map.of(), null);

    private static AttemptEnded attempt(String responseModel) {
        return new AttemptEnded(INFERENCE, "up", "m", 1, true, Outcome.SUCCESS, null, responseModel, new Usage(1, 1), 1_000_000, 1_000,
                gaps(1_000), SpanContext.getInvalid());
    }

    private static ChunkGaps gaps(long... nanos) {
        ChunkGaps gaps = ChunkGaps.measured();
        for (long gap : nanos) {
            gaps.add(gap);
        }
        return gaps;
    }

    @Test
    void anUpstreamNamingANewModelPerAnswerCannotGrowTheSeriesWithoutBound() {
        GenAiMetrics metrics = GenAiMetrics.on(sdk, SETTINGS);
        for (int i = 0; i < 2_000; i++) {
            metrics.attemptEnded(attempt("gpt-4o-" + i));
        }
        metrics.attemptEnded(attempt("not a model name {{x}}"));
        metrics.attemptEnded(attempt("m".repeat(129)));

        Set<String> models = responseModels("gen_ai.client.operation.duration");
        assertThat(models).hasSize(GenAiMetrics.RESPONSE_MODELS + 2)
                .contains("gpt-4o-0", "gpt-4o-" + (GenAiMetrics.RESPONSE_MODELS - 1), "_OTHER", "")
                .doesNotContain("gpt-4o-" + GenAiMetrics.RESPONSE_MODELS, "not a model name {{x}}");
        assertThat(responseModels("gen_ai.client.token.usage")).isEqualTo(models);
    }

    @Test
    void withTheExportOffTheInstrumentsRecordNothingOnARealSdk() {
        GenAiMetrics metrics = new GenAiMetrics();
        metrics.openTelemetry = sdk;
        metrics.settings = SETTINGS;
        metrics.create(false);
        RequestAnswered request = new RequestAnswered("chat_completions", "", 200, 2_000_000, 1_000_000);
        metrics.attemptEnded(attempt("gpt-4o"));
        metrics.inferenceEnded(new InferenceEnded(INFERENCE, "up", 1, false, true, Outcome.SUCCESS, null, new Usage(5, 7), 1_000_000, 500_000,
                SpanContext.getInvalid()));
        metrics.requestAnswered(request);

        assertThat(metrics.enabled()).isFalse();
        assertThat(collect()).isEmpty();

        GenAiMetrics.on(sdk, SETTINGS).requestAnswered(request);
        assertThat(collect()).as("the same SDK records once the export is on").isNotEmpty();
    }

    private Set<String> responseModels(String metric) {
        return collect().stream().filter(m -> m.getName().equals(metric))
                .flatMap(m -> m.getData().getPoints().stream())
                .map(p -> p.getAttributes().get(GenAiMetrics.RESPONSE_MODEL))
                .map(model -> model == null ? "" : model)
                .collect(Collectors.toSet());
    }

    private List<MetricData> collect() {
        exported.clear();
        provider.forceFlush().join(5, TimeUnit.SECONDS);
        return List.copyOf(exported);
    }

    private final class Collecting implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            exported.addAll(metrics);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }
    }
}
