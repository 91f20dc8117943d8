package dev.llmgateway.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.function.IntSupplier;

/**
 * The gateway's own metrics. Every label takes its values from a bounded set: configured names (function,
 * variant, model, provider), endpoints, status classes and fixed outcome words; never client input or ids.
 * One registry per deployment, so that two gateways in one server never mix their series.
 */
public final class GatewayMetrics {

    /** Fine enough for the gateway's own overhead, which is counted in microseconds. */
    private static final double[] OVERHEAD_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25};
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    /** Created after the bucket arrays above, which its fields use. */
    private static final GatewayMetrics SHARED = new GatewayMetrics();

    private final PrometheusRegistry registry = new PrometheusRegistry();

    final Counter requests = Counter.builder().name("gateway_requests_total")
            .help("HTTP requests to the gateway's API, by endpoint, status class and gateway key name")
            .labelNames("endpoint", "status_class", "api_key").register(registry);
    final Histogram requestDuration = Histogram.builder().name("gateway_request_duration_seconds").unit(Unit.SECONDS)
            .help("Time from receiving a request to writing its last byte, streams included")
            .labelNames("endpoint").classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    final Histogram overhead = Histogram.builder().name("gateway_overhead_seconds").unit(Unit.SECONDS)
            .help("Time a request spent in the gateway itself: its duration less the time spent waiting for providers")
            .labelNames("endpoint").classicOnly().classicUpperBounds(OVERHEAD_BUCKETS).register(registry);
    final Counter inferences = Counter.builder().name("gateway_inferences_total")
            .help("Inferences, by route and outcome (success, error, cancelled)")
            .labelNames("operation", "function", "variant", "model", "provider", "outcome").register(registry);
    final Counter tokens = Counter.builder().name("gateway_tokens_total")
            .help("Tokens used, as the providers reported them (the sum of gen_ai.client.token.usage), by type (input, output)")
            .labelNames("operation", "model", "provider", "token_type").register(registry);
    final Counter cost = Counter.builder().name("gateway_cost_total")
            .help("What inferences cost, priced with the configured price table (gateway.price.*), in its currency")
            .labelNames("operation", "model", "provider", "currency").register(registry);
    final Counter uncosted = Counter.builder().name("gateway_cost_unknown_total")
            .help("Inferences whose cost is unknown: their model has no price, or their provider reported no usage")
            .labelNames("operation", "model", "provider").register(registry);
    final Counter ledgerWritten = Counter.builder().name("gateway_ledger_rows_written_total")
            .help("Inference rows written to the ledger's database").register(registry);
    final Counter ledgerDropped = Counter.builder().name("gateway_ledger_rows_dropped_total")
            .help("Inference rows never written, by reason (queue_full, waited_too_long: the database was down, hung or slow for"
                    + " longer than gateway.ledger.max-wait-ms; rejected: the database refused the row; shutdown)")
            .labelNames("reason").register(registry);
    final Counter ledgerFailures = Counter.builder().name("gateway_ledger_write_failures_total")
            .help("Batches the ledger's database failed to take (each is tried again until its rows wait too long)").register(registry);
    final Counter attempts = Counter.builder().name("gateway_provider_attempts_total")
            .help("Calls to providers, by outcome (success, timeout, rate_limited, server_error, connection, authentication, malformed_response, request_rejected)")
            .labelNames("operation", "provider", "outcome").register(registry);
    final Counter fallbacks = Counter.builder().name("gateway_fallbacks_total")
            .help("Inferences answered by a provider other than the first of their model's routing")
            .labelNames("model").register(registry);
    final Histogram operationDuration = Histogram.builder().name("gen_ai_client_operation_duration_seconds").unit(Unit.SECONDS)
            .help("Duration of one provider call, to its last byte (gen_ai.client.operation.duration)")
            .labelNames("operation", "provider", "outcome").classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    final Histogram timeToFirstChunk = Histogram.builder().name("gateway_time_to_first_chunk_seconds").unit(Unit.SECONDS)
            .help("Time from calling a provider to its first streamed chunk (the meaning of gen_ai.server.time_to_first_token)")
            .labelNames("operation", "provider").classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    final Counter spansExported = Counter.builder().name("gateway_spans_exported_total")
            .help("Spans handed to the OTLP exporter, by result (success, failure)")
            .labelNames("result").register(registry);
    final Counter spansDropped = Counter.builder().name("gateway_spans_dropped_total")
            .help("Spans never exported, by reason (queue_full: the export queue was full, the collector being down or slow; "
                    + "route_expired: its request's export state was released before the span reached the exporter)")
            .labelNames("reason").register(registry);
    final Gauge spanQueue = Gauge.builder().name("gateway_span_queue_size")
            .help("Spans waiting in the export queue (bounded by otel.bsp.max.queue.size), sampled every 5 s").register(registry);
    final Gauge exportRoutes = Gauge.builder().name("gateway_export_routes")
            .help("Requests with extra OTLP export headers, attributes or resources whose spans are not all exported yet").register(registry);
    final Gauge tenantExporters = Gauge.builder().name("gateway_export_tenant_exporters")
            .help("OTLP exporters open for distinct sets of per-request export headers").register(registry);

    final Counter unexpectedFailures = Counter.builder().name("gateway_unexpected_failures_total")
            .help("Failures the gateway did not expect, by exception class: requests answered 500, and listeners that failed (logged at most once a minute each)")
            .labelNames("kind").register(registry);
    final Counter overloaded = Counter.builder().name("gateway_overload_refusals_total")
            .help("Requests refused with 429 to keep the gateway within its bounds, by reason (memory_budget, calls_in_flight, calls_waiting)")
            .labelNames("reason").register(registry);

    final Counter limitRefusals = Counter.builder().name("gateway_limit_refusals_total")
            .help("Calls of virtual keys refused, by reason (the limit: requests_per_minute, tokens_per_day, budget_per_month, …; model_not_allowed,"
                    + " model_unpriced, limits_unavailable) and key (the first gateway.keys.labelled-keys names, then _OTHER)")
            .labelNames("reason", "api_key").register(registry);
    final Counter limitsFailedOpen = Counter.builder().name("gateway_limits_failed_open_total")
            .help("Calls admitted without their limit checked, the database not leasing and the limit failing open, by limit")
            .labelNames("limit").register(registry);

    private GatewayMetrics() {
    }

    /** For the classes the OpenTelemetry SDK loads itself, outside CDI; everything else injects it. */
    public static GatewayMetrics shared() {
        return SHARED;
    }

    /** What /metrics scrapes. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public void request(String endpoint, String apiKey, int status, long nanos, long upstreamNanos) {
        requestDuration.labelValues(endpoint).observe(nanos / 1e9);
        overhead.labelValues(endpoint).observe(Math.max(0, nanos - upstreamNanos) / 1e9);
        // the count last: a scrape that sees a request counted sees its duration and overhead too
        requests.labelValues(endpoint, (status / 100) + "xx", apiKey).inc();
    }

    /** @param operation {@code gen_ai.operation.name}: chat, embeddings, text_completion */
    public void inference(String operation, String function, String variant, String model, String provider, String outcome) {
        inferences.labelValues(operation, nonNull(function), nonNull(variant), model, nonNull(provider), outcome).inc();
    }

    public void tokens(String operation, String model, String provider, long input, long output) {
        if (input > 0) {
            tokens.labelValues(operation, model, provider, "input").inc(input);
        }
        if (output > 0) {
            tokens.labelValues(operation, model, provider, "output").inc(output);
        }
    }

    public void cost(String operation, String model, String provider, double amount, String currency) {
        cost.labelValues(operation, model, provider, currency).inc(amount);
    }

    public void costUnknown(String operation, String model, String provider) {
        uncosted.labelValues(operation, model, provider).inc();
    }

    public void ledgerWritten(int rows) {
        ledgerWritten.inc(rows);
    }

    public void ledgerDropped(String reason, int rows) {
        ledgerDropped.labelValues(reason).inc(rows);
    }

    public void ledgerWriteFailed() {
        ledgerFailures.inc();
    }

    /** The ledger's gauges, read when scraped: rows waiting for the database, and whether it takes them. */
    public void ledgerGauges(IntSupplier waiting, java.util.function.BooleanSupplier up) {
        GaugeWithCallback.builder().name("gateway_ledger_queue_rows").help("Inference rows waiting for the ledger's database (bounded by gateway.ledger.queue-capacity)")
                .callback(callback -> callback.call(waiting.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("gateway_ledger_up").help("1 while the ledger's database takes rows, 0 while it is down, hung or refusing")
                .callback(callback -> callback.call(up.getAsBoolean() ? 1 : 0)).register(registry);
    }

    public void attempt(String operation, String provider, String outcome, long nanos) {
        attempts.labelValues(operation, provider, outcome).inc();
        operationDuration.labelValues(operation, provider, outcome).observe(nanos / 1e9);
    }

    public void fallback(String model) {
        fallbacks.labelValues(model).inc();
    }

    public void timeToFirstChunk(String operation, String provider, long nanos) {
        timeToFirstChunk.labelValues(operation, provider).observe(nanos / 1e9);
    }

    /** Gauges read when scraped: the calls in flight and the streams under way, as their owners count them. */
    public void gauges(IntSupplier callsInFlight, IntSupplier activeStreams) {
        GaugeWithCallback.builder().name("gateway_active_streams").help("Streamed answers in progress")
                .callback(callback -> callback.call(activeStreams.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("gateway_calls_in_flight").help("Calls being answered, streams included (bounded by gateway.calls.max-in-flight)")
                .callback(callback -> callback.call(callsInFlight.getAsInt())).register(registry);
    }

    public void spansExported(boolean success, int count) {
        spansExported.labelValues(success ? "success" : "failure").inc(count);
    }

    public void spansDropped(String reason, int count) {
        spansDropped.labelValues(reason).inc(count);
    }

    public void spanQueue(long length) {
        spanQueue.set(length);
    }

    public void exportRoutes(int live) {
        exportRoutes.set(live);
    }

    public void tenantExporters(int open) {
        tenantExporters.set(open);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    public void unexpectedFailure(String kind) {
        unexpectedFailures.labelValues(kind).inc();
    }

    public void limitRefused(String reason, String keyLabel) {
        limitRefusals.labelValues(reason, keyLabel).inc();
    }

    public void limitsFailedOpen(String limit) {
        limitsFailedOpen.labelValues(limit).inc();
    }

    /** The limits' gauges: whether the database leases, and what remains of each labelled key's budgets (key, limit → amount). */
    public void limitGauges(java.util.function.BooleanSupplier up, java.util.function.Supplier<java.util.Map<java.util.List<String>, Double>> budgets) {
        GaugeWithCallback.builder().name("gateway_limits_up").help("1 while the keys' database answers and leases slices of limits, 0 while it does not")
                .callback(callback -> callback.call(up.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("gateway_key_budget_remaining").help("What remains of a virtual key's spend budget as this instance sees it,"
                        + " in the price table's currency, by key (the labelled keys only) and limit")
                .labelNames("api_key", "limit")
                .callback(callback -> budgets.get().forEach((labels, amount) -> callback.call(amount, labels.get(0), labels.get(1)))).register(registry);
    }

    public void overloaded(String reason) {
        overloaded.labelValues(reason).inc();
    }
}
