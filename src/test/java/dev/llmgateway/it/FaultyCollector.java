package dev.llmgateway.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP collector on a fixed loopback port that misbehaves on demand: refusing connections (nothing
 * listens), black-holed (reads the export, never answers), slow (answers after seconds) or unavailable (503).
 */
final class FaultyCollector {

    enum Mode { REFUSING, BLACK_HOLE, SLOW, UNAVAILABLE, HEALTHY }

    static final long SLOW_MILLIS = 3_000;
    private static FaultyCollector shared;

    private final int port;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "faulty-collector");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Span> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.REFUSING;
    private HttpServer server;

    private FaultyCollector(int port) {
        this.port = port;
    }

    /** Starts refusing connections: a port is reserved and closed again. */
    static synchronized FaultyCollector shared() {
        if (shared == null) {
            try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                shared = new FaultyCollector(probe.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private final java.util.concurrent.atomic.AtomicInteger metricExports = new java.util.concurrent.atomic.AtomicInteger();

    private final java.util.Set<String> loggedInferences = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The inference ids of the log records received while healthy. */
    boolean logged(String inferenceId) {
        return loggedInferences.contains(inferenceId);
    }

    /** Metric exports answered while healthy. */
    int metricExports() {
        return metricExports.get();
    }

    List<Span> received() {
        return List.copyOf(received);
    }

    synchronized void mode(Mode next) {
        mode = next;
        notifyAll(); // releases black-holed exports
        if (next == Mode.REFUSING && server != null) {
            server.stop(0);
            server = null;
        } else if (next != Mode.REFUSING && server == null) {
            server = listen();
        }
    }

    private HttpServer listen() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            http.setExecutor(handlers);
            http.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    InputStream body = exchange.getRequestBody();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        body = new GZIPInputStream(body);
                    }
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                    Mode now = hold();
                    if (now != Mode.HEALTHY) {
                        exchange.sendResponseHeaders(now == Mode.UNAVAILABLE ? 503 : 500, -1);
                        return;
                    }
                    request.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> received.addAll(s.getSpansList())));
                    byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            // metrics meet the same faults as spans: the GenAI metrics export is on in the deployment facing this collector
            http.createContext("/v1/metrics", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    Mode now = hold();
                    if (now != Mode.HEALTHY) {
                        exchange.sendResponseHeaders(now == Mode.UNAVAILABLE ? 503 : 500, -1);
                        return;
                    }
                    metricExports.incrementAndGet();
                    byte[] answer = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            // and so do the inference log records
            http.createContext("/v1/logs", exchange -> {
                try (exchange) {
                    InputStream body = exchange.getRequestBody();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        body = new GZIPInputStream(body);
                    }
                    var request = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(body);
                    Mode now = hold();
                    if (now != Mode.HEALTHY) {
                        exchange.sendResponseHeaders(now == Mode.UNAVAILABLE ? 503 : 500, -1);
                        return;
                    }
                    request.getResourceLogsList().forEach(r -> r.getScopeLogsList().forEach(s -> s.getLogRecordsList().forEach(record ->
                            record.getAttributesList().stream().filter(a -> a.getKey().equals("gateway.inference_id"))
                                    .forEach(a -> loggedInferences.add(a.getValue().getStringValue())))));
                    byte[] answer = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits as the current mode asks, then says how to answer. */
    private synchronized Mode hold() {
        try {
            if (mode == Mode.BLACK_HOLE) {
                while (mode == Mode.BLACK_HOLE) {
                    wait();
                }
                return Mode.UNAVAILABLE; // a released black-holed export is not accepted late
            }
            if (mode == Mode.SLOW) {
                wait(SLOW_MILLIS);
                return Mode.HEALTHY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return mode;
    }
}
