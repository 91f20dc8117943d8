package dev.llmgateway.telemetry.export;

import io.opentelemetry.sdk.resources.Resource;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request's export overrides while its spans are open or on their way out: once every span it saw start
 * has been exported, the route can go.
 */
final class RequestRoute {

    private final long id;
    private final ExportOverrides overrides;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger unexported = new AtomicInteger();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Merged merged;

    private record Merged(Resource sdk, Resource result) {
    }

    RequestRoute(long id, ExportOverrides overrides) {
        this.id = id;
        this.overrides = overrides;
    }

    long id() {
        return id;
    }

    ExportOverrides overrides() {
        return overrides;
    }

    void spanStarted() {
        open.incrementAndGet();
        unexported.incrementAndGet();
        lastActivityNanos = System.nanoTime();
    }

    void spanEnded() {
        open.decrementAndGet();
        lastActivityNanos = System.nanoTime();
    }

    /** @return whether every span the route saw start has now been exported */
    boolean spansExported(int count) {
        lastActivityNanos = System.nanoTime();
        return unexported.addAndGet(-count) <= 0;
    }

    /** Ended spans that never reach the exporter (a full queue) would keep the route forever: it goes when idle this long. */
    boolean idleSince(long nanos) {
        return open.get() <= 0 && lastActivityNanos - nanos < 0;
    }

    /** The resource the route's spans leave under: the SDK's, with the request's resource attributes on top. */
    Resource resource(Resource sdkResource) {
        if (overrides.resourceAttributes().isEmpty()) {
            return sdkResource;
        }
        Merged cached = merged;
        if (cached == null || cached.sdk() != sdkResource) {
            cached = new Merged(sdkResource, sdkResource.merge(Resource.create(overrides.resourceAttributes())));
            merged = cached;
        }
        return cached.result();
    }
}
