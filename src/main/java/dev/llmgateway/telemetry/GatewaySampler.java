package dev.llmgateway.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;

/**
 * Samples inference requests only: server spans of auxiliary endpoints (health, metrics, model lists, static
 * files) make no trace, on either runtime. Inference traces follow the caller's sampling decision when there
 * is one, else the configured ratio; a ratio of 0 exports nothing at all.
 */
public final class GatewaySampler implements Sampler {

    /** Where inference requests arrive; everything else the server answers is auxiliary. */
    private static final String INFERENCE_PATH = "chat/completions";
    private static final List<AttributeKey<String>> PATH_KEYS = List.of(
            AttributeKey.stringKey("url.path"), AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.route"));

    private final double ratio;
    private final Sampler inference;

    public GatewaySampler(double ratio) {
        this.ratio = ratio;
        this.inference = Sampler.parentBased(Sampler.traceIdRatioBased(Math.max(0, Math.min(1, ratio))));
    }

    @Override
    public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes, List<LinkData> links) {
        if (ratio <= 0 || (kind == SpanKind.SERVER && !isInference(name, attributes))) {
            return SamplingResult.drop();
        }
        return inference.shouldSample(parent, traceId, name, kind, attributes, links);
    }

    private static boolean isInference(String name, Attributes attributes) {
        for (AttributeKey<String> key : PATH_KEYS) {
            String path = attributes.get(key);
            if (path != null) {
                return path.contains(INFERENCE_PATH);
            }
        }
        return name.contains(INFERENCE_PATH);
    }

    @Override
    public String getDescription() {
        return "GatewaySampler{ratio=" + ratio + ", inference requests only}";
    }
}
