package dev.llmgateway.telemetry.export;

import dev.llmgateway.config.RequestExportSettings;
import dev.llmgateway.metrics.GatewayMetrics;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ties each span to the export overrides of the request that started it. The request's state carries its route,
 * and the span processor marks every span started in a context of that state with the route's id (an attribute removed before export),
 * so the exporter finds the route whatever batch the span lands in, and a span whose route has gone is dropped,
 * never exported to the wrong tenant. One instance per deployment, shared by the SDK's SPI classes and the filter.
 */
public final class RequestRoutes {

    static final AttributeKey<Long> ROUTE = AttributeKey.longKey("gateway.export.route");
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final RequestRoutes SHARED = new RequestRoutes(GatewayMetrics.shared());

    /**
     * What the export pipeline the SDK built can do.
     *
     * @param staticHeaders      configured export headers, lower-case name → name as configured
     * @param headersUnavailable why extra export headers cannot be honoured, or null
     */
    public record Pipeline(Map<String, String> staticHeaders, String headersUnavailable) {
    }

    private final Map<Long, RequestRoute> live = new ConcurrentHashMap<>();
    private final WaitingRoutes waiting = new WaitingRoutes();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());
    private volatile RequestExportSettings settings = RequestExportSettings.DEFAULTS;
    private volatile Pipeline pipeline;
    private volatile TenantExporters tenants;
    private volatile String unavailable;

    private final GatewayMetrics metrics;

    RequestRoutes(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** For the classes the OpenTelemetry SDK loads itself, outside CDI; everything else injects it. */
    public static RequestRoutes shared() {
        return SHARED;
    }

    public void configure(RequestExportSettings settings) {
        this.settings = settings;
    }

    RequestExportSettings settings() {
        return settings;
    }

    void pipelineBuilt(Pipeline pipeline, TenantExporters tenants) {
        this.tenants = tenants;
        this.pipeline = pipeline;
    }

    /** Empty until the SDK has built its exporter through the gateway's customizer. */
    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    /** Marks the whole feature unavailable: spans are exported by an SDK the gateway's customizer never saw. */
    public void unavailable(String reason) {
        this.unavailable = reason;
    }

    /** Why per-request export overrides cannot be honoured at all here, if they cannot. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /** The request's route, until its spans are all exported or its answer is out with none sampled. */
    public interface Scope extends AutoCloseable {

        /** The request is answered: a route no sampled span took is released, since none will ever be exported for it. */
        void end();

        @Override
        default void close() {
            end();
        }
    }

    /**
     * Routes the spans started in the current context until the returned scope closes, for a thread that serves no
     * request (tests); a request's route is {@link #enter(ExportOverrides, String, boolean, RequestState)}.
     */
    Scope enter(ExportOverrides overrides) {
        RequestState state = RequestState.detached();
        io.opentelemetry.context.Scope current = Context.current().with(state).makeCurrent();
        Scope route = enter(overrides, "", false, state);
        return () -> {
            current.close();
            route.end();
        };
    }

    /**
     * Routes the spans the request starts: every span whose parent context carries {@code state}. Adopts a span already
     * open. A route with extra headers holds its exporter from here on, made now on the request's thread if need be.
     *
     * @param caller     the name of the gateway key the request presented, "" without one: each has its own budget
     * @param keysOwnSet whether the headers are exactly those the caller's key configures
     * @throws ExportRouteUnavailableException when no exporter can be had for new headers now (retry shortly)
     */
    public Scope enter(ExportOverrides overrides, String caller, boolean keysOwnSet, RequestState state) {
        TenantExporters.Tenant tenant = null;
        if (!overrides.headers().isEmpty() && tenants != null) {
            tenant = tenants.lease(overrides.headers(), caller, keysOwnSet);
        }
        RequestRoute route = new RequestRoute(ids.incrementAndGet(), overrides, tenant);
        state.exportRoute(route);
        if (Span.current() instanceof ReadWriteSpan open && open.getSpanContext().isSampled() && !open.hasEnded()) {
            started(Context.current(), open);
        }
        return () -> {
            if (!route.isLive()) {
                release(route);
            }
        };
    }

    /** A span starts: the route of the request its parent context serves (else the current one's) is its route. */
    void started(Context parent, ReadWriteSpan span) {
        RequestState state = RequestState.in(parent);
        if (state == null && span.getKind() == SpanKind.SERVER) {
            state = RequestState.current(); // a runtime that opens its server span from a context of its own
        }
        if (state == null || !(state.exportRoute() instanceof RequestRoute route) || !span.getSpanContext().isSampled()
                || span.getAttribute(ROUTE) != null) {
            return;
        }
        span.setAttribute(ROUTE, route.id());
        if (live.putIfAbsent(route.id(), route) == null) {
            route.becameLive();
            metrics.exportRoutes(live.size());
        }
        route.spanStarted();
    }

    void ended(ReadableSpan span) {
        if (live.isEmpty()) {
            return; // no request asked for anything: skip the attribute lookup on every span's end
        }
        Long id = span.getAttribute(ROUTE);
        RequestRoute route = id == null ? null : live.get(id);
        if (route != null && route.spanEnded()) {
            waiting.add(route, settings.maxWaitingBytes()).forEach(this::forget);
        }
    }

    /** Whether any request has asked for overrides since deployment; until one does, no span carries a route. */
    boolean everRouted() {
        return ids.get() > 0;
    }

    int liveRoutes() {
        return live.size();
    }

    long waitingBytes() {
        return waiting.bytes();
    }

    RequestRoute route(long id) {
        return live.get(id);
    }

    void exported(RequestRoute route, int spans) {
        if (route.spansExported(spans)) {
            forget(route);
        }
        sweep();
    }

    /** Releases routes whose spans will never come (dropped by a full queue, or lost with a failed export). */
    void sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        long idleBefore = now - settings.retention().toNanos();
        live.values().removeIf(route -> route.idleSince(idleBefore) && release(route) && waiting.remove(route));
        metrics.exportRoutes(live.size());
    }

    private void forget(RequestRoute route) {
        if (live.remove(route.id(), route)) {
            release(route);
            metrics.exportRoutes(live.size());
        }
        waiting.remove(route); // after the release, so that a concurrent add sees the route released
    }

    /** @return true, so that it can stand in a removal predicate */
    private boolean release(RequestRoute route) {
        if (route.release() && route.tenant() != null) {
            tenants.release(route.tenant());
        }
        return true;
    }
}
