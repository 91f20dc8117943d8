package dev.llmgateway.telemetry.export;

import dev.llmgateway.metrics.GatewayMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits each batch by the requests its spans came from: spans of requests without extra headers go to the
 * runtime's exporter, each distinct set of extra headers to its own copy of it, so that no export request ever
 * carries spans of a tenant its headers do not name. Request attributes and resources are applied here too.
 */
final class RoutingSpanExporter implements SpanExporter {

    private final SpanExporter plain;
    private final TenantExporters tenants;
    private final RequestRoutes routes;

    private final GatewayMetrics metrics;

    RoutingSpanExporter(SpanExporter plain, TenantExporters tenants, RequestRoutes routes, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.plain = plain;
        this.tenants = tenants;
        this.routes = routes;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (!routes.everRouted()) {
            // no span carries a route: skip a lookup per span
            return plain.export(spans);
        }
        List<SpanData> unrouted = new ArrayList<>(spans.size());
        Map<TenantExporters.Tenant, List<SpanData>> byTenant = new IdentityHashMap<>();
        Map<RequestRoute, Integer> exportedPerRoute = new IdentityHashMap<>();
        int orphans = 0;
        for (SpanData span : spans) {
            Long id = span.getAttributes().get(RequestRoutes.ROUTE);
            if (id == null) {
                unrouted.add(span);
                continue;
            }
            RequestRoute route = routes.route(id);
            if (route == null) {
                orphans++;
                continue;
            }
            exportedPerRoute.merge(route, 1, Integer::sum);
            SpanData routed = new RoutedSpanData(span, route.overrides().spanAttributes(), route.resource(span.getResource()));
            TenantExporters.Tenant tenant = route.tenant();
            (tenant == null ? unrouted : byTenant.computeIfAbsent(tenant, t -> new ArrayList<>())).add(routed);
        }
        if (orphans > 0) {
            metrics.spansDropped("route_expired", orphans);
        }
        List<CompletableResultCode> results = new ArrayList<>(byTenant.size() + 1);
        if (!unrouted.isEmpty()) {
            results.add(plain.export(unrouted));
        }
        byTenant.forEach((tenant, batch) -> results.add(tenants.export(tenant, batch)));

        CompletableResultCode all = CompletableResultCode.ofAll(results);
        all.whenComplete(() -> exportedPerRoute.forEach(routes::exported));
        if (exportedPerRoute.isEmpty()) {
            routes.sweep();
        }
        return all;
    }

    @Override
    public CompletableResultCode flush() {
        return plain.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofAll(List.of(tenants.shutdown(), plain.shutdown()));
    }
}
