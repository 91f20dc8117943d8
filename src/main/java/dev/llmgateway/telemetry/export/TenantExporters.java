package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One exporter per distinct set of extra headers. A request leases its exporter before it starts any span, on its
 * own thread, so the export thread never builds one; an exporter stays open while leased, the least recently used
 * of the others is closed once more than the bound are open (after its running exports), and exporters for header
 * sets not seen before are made at a bounded rate. A client flooding distinct values is refused, not the others.
 */
final class TenantExporters {

    private static final Logger LOG = Logger.getLogger(TenantExporters.class.getName());
    private static final long SECOND_NANOS = 1_000_000_000L;

    /** An exporter and who holds it; guarded by the map's lock. */
    static final class Tenant {
        private final SpanExporter exporter;
        private final String maker;
        private int leases;
        private int inFlight;
        private boolean evicted;

        private Tenant(SpanExporter exporter, String maker) {
            this.exporter = exporter;
            this.maker = maker;
        }
    }

    private final Function<Map<String, String>, SpanExporter> factory;
    private final IntSupplier bound;
    private final IntSupplier perSecond;
    private final LinkedHashMap<Map<String, String>, Tenant> tenants = new LinkedHashMap<>(16, 0.75f, true);
    /** Exporters for the header sets gateway keys configure: one per key at most, never evicted, outside the bound. */
    private final Map<Map<String, String>, Tenant> pinned = new HashMap<>();
    /** One budget per gateway key ("" for callers without one): one key's flood never spends another's. */
    private final Map<String, Bucket> budgets = new HashMap<>();

    /** A token bucket as deep as a second's worth of new exporters. */
    private static final class Bucket {
        private double tokens = -1;
        private long refilledAt = System.nanoTime();

        boolean take(int rate) {
            long now = System.nanoTime();
            tokens = tokens < 0 ? rate : Math.min(rate, tokens + (now - refilledAt) * (double) rate / SECOND_NANOS);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private final GatewayMetrics metrics;

    TenantExporters(Function<Map<String, String>, SpanExporter> factory, IntSupplier bound, IntSupplier perSecond, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.factory = factory;
        this.bound = bound;
        this.perSecond = perSecond;
    }

    /**
     * The exporter for these headers, held until {@link #release}; made now if there is none. A gateway key may hold at
     * most a quarter of the bound in exporters it made, so that one key cannot take every one (callers without a key
     * have no identity to share by: the bound alone applies to them).
     *
     * @param caller     the name of the gateway key the request presented, "" without one
     * @param keysOwnSet whether the headers are exactly those the caller's key configures: such an exporter is kept
     */
    Tenant lease(Map<String, String> headers, String caller, boolean keysOwnSet) {
        List<Tenant> closable = new ArrayList<>();
        try {
            synchronized (tenants) {
                if (keysOwnSet) {
                    Tenant own = pinned.get(headers);
                    if (own == null) {
                        own = new Tenant(make(headers), caller);
                        pinned.put(headers, own);
                        metrics.tenantExporters(tenants.size() + pinned.size());
                    }
                    own.leases++;
                    return own;
                }
                Tenant tenant = tenants.get(headers);
                if (tenant == null) {
                    int share = Math.max(1, bound.getAsInt() / 4);
                    if (!caller.isEmpty() && held(caller) >= share) {
                        throw new ExportRouteUnavailableException("this caller already holds " + share + " export routes in flight");
                    }
                    if (!budgets.computeIfAbsent(caller, c -> new Bucket()).take(perSecond.getAsInt())) {
                        throw new ExportRouteUnavailableException("new export header sets arrive faster than " + perSecond.getAsInt() + " a second");
                    }
                    if (!makeRoom(closable)) {
                        throw new ExportRouteUnavailableException("all " + bound.getAsInt() + " export routes are in use by requests in flight");
                    }
                    tenant = new Tenant(make(headers), caller);
                    tenants.put(headers, tenant);
                    metrics.tenantExporters(tenants.size() + pinned.size());
                }
                tenant.leases++;
                return tenant;
            }
        } finally {
            closable.forEach(evicted -> evicted.exporter.shutdown());
        }
    }

    /** Exporters a caller made that requests still hold. */
    private int held(String caller) {
        int held = 0;
        for (Tenant tenant : tenants.values()) {
            if (tenant.leases > 0 && tenant.maker.equals(caller)) {
                held++;
            }
        }
        return held;
    }

    void release(Tenant tenant) {
        synchronized (tenants) {
            tenant.leases--;
        }
    }

    /** Never throws: an exporter that could not be made or fails to start is a failed export of these spans. */
    CompletableResultCode export(Tenant tenant, Collection<SpanData> spans) {
        if (tenant.exporter == null) {
            metrics.spansExported(false, spans.size());
            return CompletableResultCode.ofFailure();
        }
        synchronized (tenants) {
            tenant.inFlight++;
        }
        CompletableResultCode result;
        try {
            result = tenant.exporter.export(spans);
        } catch (RuntimeException e) {
            finished(tenant);
            return CompletableResultCode.ofFailure();
        }
        result.whenComplete(() -> finished(tenant));
        return result;
    }

    CompletableResultCode shutdown() {
        List<CompletableResultCode> closing = new ArrayList<>();
        synchronized (tenants) {
            for (Tenant tenant : tenants.values()) {
                tenant.evicted = true;
                if (tenant.exporter != null) {
                    closing.add(tenant.exporter.shutdown());
                }
            }
            for (Tenant tenant : pinned.values()) {
                tenant.evicted = true;
                if (tenant.exporter != null) {
                    closing.add(tenant.exporter.shutdown());
                }
            }
            tenants.clear();
            pinned.clear();
        }
        metrics.tenantExporters(0);
        return CompletableResultCode.ofAll(closing);
    }

    /** Evicts the least recently used exporters nobody holds until there is room for one more. */
    private boolean makeRoom(List<Tenant> closable) {
        Iterator<Tenant> eldest = tenants.values().iterator();
        while (tenants.size() >= bound.getAsInt() && eldest.hasNext()) {
            Tenant candidate = eldest.next();
            if (candidate.leases > 0) {
                continue;
            }
            eldest.remove();
            candidate.evicted = true;
            if (candidate.inFlight == 0 && candidate.exporter != null) {
                closable.add(candidate);
            }
        }
        return tenants.size() < bound.getAsInt();
    }

    private SpanExporter make(Map<String, String> headers) {
        try {
            return factory.apply(headers);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not make an exporter for a request's extra OTLP headers: {0}", e.getMessage());
            return null;
        }
    }

    private void finished(Tenant tenant) {
        boolean close;
        synchronized (tenants) {
            tenant.inFlight--;
            close = tenant.evicted && tenant.inFlight == 0;
        }
        if (close) {
            tenant.exporter.shutdown();
        }
    }
}
