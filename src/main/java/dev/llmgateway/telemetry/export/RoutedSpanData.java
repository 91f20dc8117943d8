package dev.llmgateway.telemetry.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A span as it leaves: without the route marker, with its request's extra attributes under its own (whatever the
 * gateway or the runtime set on the span, at any time, wins), under its request's resource.
 */
final class RoutedSpanData extends DelegatingSpanData {

    private final Attributes attributes;
    private final int totalAttributeCount;
    private final Resource resource;

    RoutedSpanData(SpanData span, Attributes requestAttributes, Resource resource) {
        super(span);
        Attributes own = span.getAttributes();
        this.attributes = requestAttributes.isEmpty() ? own.toBuilder().remove(RequestRoutes.ROUTE).build()
                : requestAttributes.toBuilder().putAll(own).remove(RequestRoutes.ROUTE).build();
        this.totalAttributeCount = span.getTotalAttributeCount() - own.size() + attributes.size();
        this.resource = resource;
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
        return totalAttributeCount;
    }

    @Override
    public Resource getResource() {
        return resource;
    }
}
