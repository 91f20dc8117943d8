package dev.llmgateway.telemetry.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;

/** A span as it leaves: without the route marker, under its request's resource. */
final class RoutedSpanData extends DelegatingSpanData {

    private final Attributes attributes;
    private final Resource resource;

    RoutedSpanData(SpanData span, Resource resource) {
        super(span);
        this.attributes = span.getAttributes().toBuilder().remove(RequestRoutes.ROUTE).build();
        this.resource = resource;
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
        return super.getTotalAttributeCount() - 1;
    }

    @Override
    public Resource getResource() {
        return resource;
    }
}
