package dev.llmgateway.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewaySamplerTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void tracesInferenceRequestsWhateverTheRuntimeNamesThem() {
        GatewaySampler sampler = new GatewaySampler(1.0);

        assertThat(decide(sampler, "POST /v1/chat/completions", SpanKind.SERVER, Attributes.of(AttributeKey.stringKey("url.path"), "/v1/chat/completions")))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(sampler, "POST v1/chat/completions", SpanKind.SERVER, Attributes.empty()))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void auxiliaryEndpointsMakeNoTrace() {
        GatewaySampler sampler = new GatewaySampler(1.0);

        for (String path : List.of("/health", "/health/ready", "/metrics", "/v1/models", "/v1/models/gpt", "/index.html")) {
            assertThat(decide(sampler, "GET " + path, SpanKind.SERVER, Attributes.of(AttributeKey.stringKey("url.path"), path)))
                    .as(path).isEqualTo(SamplingDecision.DROP);
            assertThat(decide(sampler, "GET", SpanKind.SERVER, Attributes.of(AttributeKey.stringKey("http.target"), path)))
                    .as(path).isEqualTo(SamplingDecision.DROP);
        }
    }

    @Test
    void aRatioOfZeroDropsEvenWhenTheCallerSampled() {
        GatewaySampler sampler = new GatewaySampler(0.0);

        assertThat(decide(sampler, "chat gpt", SpanKind.CLIENT, Attributes.empty(), sampledParent())).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void followsTheCallersDecisionOtherwise() {
        GatewaySampler sampler = new GatewaySampler(0.000001);

        assertThat(decide(sampler, "POST /v1/chat/completions", SpanKind.SERVER, Attributes.empty(), sampledParent()))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void samplesRoughlyTheConfiguredShareOfNewTraces() {
        GatewaySampler sampler = new GatewaySampler(0.25);
        int sampled = 0;
        for (int i = 0; i < 4000; i++) {
            String traceId = String.format("%016x%016x", i * 0x9E3779B97F4A7C15L, (long) i * 0xC2B2AE3D27D4EB4FL);
            if (sampler.shouldSample(Context.root(), traceId, "POST /v1/chat/completions", SpanKind.SERVER, Attributes.empty(), List.of())
                    .getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
                sampled++;
            }
        }
        assertThat(sampled).isBetween(850, 1150);
    }

    private static SamplingDecision decide(GatewaySampler sampler, String name, SpanKind kind, Attributes attributes) {
        return decide(sampler, name, kind, attributes, Context.root());
    }

    private static SamplingDecision decide(GatewaySampler sampler, String name, SpanKind kind, Attributes attributes, Context parent) {
        return sampler.shouldSample(parent, TRACE_ID, name, kind, attributes, List.of()).getDecision();
    }

    private static Context sampledParent() {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault())));
    }
}
