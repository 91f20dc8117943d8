package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One exporter per distinct set of extra headers, the least recently used closed once more than the bound are
 * open; an evicted exporter is shut down only after the exports it is running have finished.
 */
final class TenantExporters {

    private static final Logger LOG = Logger.getLogger(TenantExporters.class.getName());

    private static final class Tenant {
        final SpanExporter exporter;
        int inFlight;
        boolean evicted;

        Tenant(SpanExporter exporter) {
            this.exporter = exporter;
        }
    }

    private final Function<Map<String, String>, SpanExporter> factory;
    private final IntSupplier bound;
    private final LinkedHashMap<Map<String, String>, Tenant> tenants = new LinkedHashMap<>(16, 0.75f, true);

    TenantExporters(Function<Map<String, String>, SpanExporter> factory, IntSupplier bound) {
        this.factory = factory;
        this.bound = bound;
    }

    /** Never throws: an exporter that cannot be made or fails to start is a failed export of these spans. */
    CompletableResultCode export(Map<String, String> headers, Collection<SpanData> spans) {
        Tenant tenant;
        try {
            tenant = acquire(headers);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not make an exporter for a request's extra OTLP headers: {0}", e.getMessage());
            GatewayMetrics.shared().spansExported(false, spans.size());
            return CompletableResultCode.ofFailure();
        }
        CompletableResultCode result;
        try {
            result = tenant.exporter.export(spans);
        } catch (RuntimeException e) {
            release(tenant);
            return CompletableResultCode.ofFailure();
        }
        result.whenComplete(() -> release(tenant));
        return result;
    }

    CompletableResultCode shutdown() {
        List<CompletableResultCode> closing = new ArrayList<>();
        synchronized (tenants) {
            for (Tenant tenant : tenants.values()) {
                tenant.evicted = true;
                closing.add(tenant.exporter.shutdown());
            }
            tenants.clear();
        }
        GatewayMetrics.shared().tenantExporters(0);
        return CompletableResultCode.ofAll(closing);
    }

    private Tenant acquire(Map<String, String> headers) {
        List<Tenant> closable = new ArrayList<>();
        Tenant tenant;
        synchronized (tenants) {
            tenant = tenants.get(headers);
            if (tenant == null) {
                tenant = new Tenant(factory.apply(headers));
                tenants.put(headers, tenant);
                var eldest = tenants.values().iterator();
                while (tenants.size() > bound.getAsInt()) {
                    Tenant evicted = eldest.next();
                    eldest.remove();
                    evicted.evicted = true;
                    if (evicted.inFlight == 0) {
                        closable.add(evicted);
                    }
                }
                GatewayMetrics.shared().tenantExporters(tenants.size());
            }
            tenant.inFlight++;
        }
        closable.forEach(evicted -> evicted.exporter.shutdown());
        return tenant;
    }

    private void release(Tenant tenant) {
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
