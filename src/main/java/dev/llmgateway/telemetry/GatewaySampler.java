package dev.llmgateway.telemetry;

import dev.llmgateway.request.ApiPaths;
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
                return ApiPaths.isInference(ApiPaths.normalise(path));
            }
        }
        int space = name.indexOf(' ');
        return ApiPaths.isInference(ApiPaths.normalise(space < 0 ? name : name.substring(space + 1)));
    }

    @Override
    public String getDescription() {
        return "GatewaySampler{ratio=" + ratio + ", inference requests only}";
    }
}
