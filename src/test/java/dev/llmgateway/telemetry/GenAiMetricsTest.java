package dev.llmgateway.telemetry;

import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
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

    @Test
    void anUpstreamNamingANewModelPerAnswerCannotGrowTheSeriesWithoutBound() {
        GenAiMetrics metrics = GenAiMetrics.on(sdk);
        for (int i = 0; i < 2_000; i++) {
            metrics.callEnded(Attributes.empty(), "gpt-4o-" + i, new Usage(1, 1), 1_000_000, null);
        }
        metrics.callEnded(Attributes.empty(), "not a model name {{x}}", new Usage(1, 1), 1_000_000, null);
        metrics.callEnded(Attributes.empty(), "m".repeat(129), new Usage(1, 1), 1_000_000, null);

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
        metrics.create(false);
        metrics.callEnded(Attributes.empty(), "gpt-4o", new Usage(5, 7), 1_000_000, null);
        metrics.served("chat", "m", null, 1_000_000, 500_000, new Usage(5, 7), null);
        metrics.request("chat_completions", 200, 2_000_000, 1_000_000);
        metrics.firstChunk(Attributes.empty(), 1_000);
        metrics.nextChunk(Attributes.empty(), 1_000);

        assertThat(metrics.enabled()).isFalse();
        assertThat(collect()).isEmpty();

        GenAiMetrics.on(sdk).request("chat_completions", 200, 2_000_000, 1_000_000);
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
