package dev.llmgateway.telemetry.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes whose spans have all ended and wait for their export, oldest first, within a bound on what they hold. While
 * the collector is down most of those spans are dropped from a full queue and never come: beyond the bound the oldest
 * routes go first, as their spans are the first to leave the queue or to have been dropped from it.
 */
final class WaitingRoutes {

    private final Map<Long, RequestRoute> routes = new LinkedHashMap<>();
    private long bytes;

    /** Adds a route; returns the oldest ones that no longer fit within {@code maxBytes}, to be forgotten. */
    synchronized List<RequestRoute> add(RequestRoute route, long maxBytes) {
        // a route the exporter forgot meanwhile must not wait here as a ghost
        if (!route.released() && routes.putIfAbsent(route.id(), route) == null) {
            bytes += route.bytes();
        }
        List<RequestRoute> evicted = new ArrayList<>(0);
        var oldest = routes.values().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            RequestRoute old = oldest.next();
            oldest.remove();
            bytes -= old.bytes();
            evicted.add(old);
        }
        return evicted;
    }

    /** @return true, so that it can stand in a removal predicate */
    synchronized boolean remove(RequestRoute route) {
        if (routes.remove(route.id(), route)) {
            bytes -= route.bytes();
        }
        return true;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return routes.size();
    }
}
