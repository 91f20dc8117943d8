package dev.llmgateway.telemetry.export;

import io.opentelemetry.sdk.resources.Resource;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request's export overrides while its spans are open or on their way out: once every span it saw start
 * has been exported, the route can go.
 */
final class RequestRoute {

    private final long id;
    private final ExportOverrides overrides;
    private final TenantExporters.Tenant tenant;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean live;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger unexported = new AtomicInteger();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Merged merged;

    private record Merged(Resource sdk, Resource result) {
    }

    /** @param tenant the exporter leased for the route's extra headers; null when it has none */
    RequestRoute(long id, ExportOverrides overrides, TenantExporters.Tenant tenant) {
        this.id = id;
        this.overrides = overrides;
        this.tenant = tenant;
    }

    /** The exporter the route's spans leave through, or null for the runtime's own. */
    TenantExporters.Tenant tenant() {
        return tenant;
    }

    /** Once only: the route will export nothing more, so its exporter lease can go. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    boolean released() {
        return released.get();
    }

    void becameLive() {
        live = true;
    }

    boolean isLive() {
        return live;
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

    /** @return whether this was the last open span: the route now only waits for its spans' export */
    boolean spanEnded() {
        lastActivityNanos = System.nanoTime();
        return open.decrementAndGet() == 0;
    }

    /** What the route holds while it waits, estimated: a fixed part plus its names and values. */
    long bytes() {
        long bytes = 256;
        for (var header : overrides.headers().entrySet()) {
            bytes += 2L * (header.getKey().length() + header.getValue().length()) + 64;
        }
        for (var attributes : List.of(overrides.spanAttributes(), overrides.resourceAttributes())) {
            for (var entry : attributes.asMap().entrySet()) {
                bytes += 2L * (entry.getKey().getKey().length() + String.valueOf(entry.getValue()).length()) + 96;
            }
        }
        return bytes;
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

    /** The resource the route's spans leave under: the SDK's, plus the request's attributes it does not already have. */
    Resource resource(Resource sdkResource) {
        if (overrides.resourceAttributes().isEmpty()) {
            return sdkResource;
        }
        Merged cached = merged;
        if (cached == null || cached.sdk() != sdkResource) {
            cached = new Merged(sdkResource, Resource.create(overrides.resourceAttributes()).merge(sdkResource));
            merged = cached;
        }
        return cached.result();
    }
}
