package dev.llmgateway.it;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP trace receiver on loopback, over HTTP/protobuf and over gRPC, built on the official OTLP protobuf
 * classes: the tests assert on what the runtimes really export.
 */
public final class OtlpReceiver {

    /** One exported span, with its resource and the headers of the export request that carried it. */
    public record ReceivedSpan(Span span, Resource resource, Map<String, String> exportHeaders) {

        public String name() {
            return span.getName();
        }

        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        public Span.SpanKind kind() {
            return span.getKind();
        }

        public boolean failed() {
            return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
        }

        public double durationMillis() {
            return (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6;
        }

        public Optional<AnyValue> attribute(String key) {
            return find(span.getAttributesList(), key);
        }

        public String string(String key) {
            return attribute(key).map(AnyValue::getStringValue).orElse(null);
        }

        public Long integer(String key) {
            return attribute(key).map(AnyValue::getIntValue).orElse(null);
        }

        public Double number(String key) {
            return attribute(key).map(AnyValue::getDoubleValue).orElse(null);
        }

        public List<String> strings(String key) {
            return attribute(key).map(v -> v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList()).orElse(null);
        }

        public String resourceAttribute(String key) {
            return find(resource.getAttributesList(), key).map(AnyValue::getStringValue).orElse(null);
        }

        private static Optional<AnyValue> find(List<KeyValue> attributes, String key) {
            return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst();
        }

        @Override
        public String toString() {
            return name() + "[" + kind() + " " + spanId() + " ← " + parentSpanId() + "]";
        }
    }

    /** What a collector takes by default (gRPC's limit); the gRPC side enforces its own default of the same size. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private static OtlpReceiver shared;

    private final java.util.concurrent.atomic.AtomicInteger oversized = new java.util.concurrent.atomic.AtomicInteger();

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
    private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();

    /** One exported log record, with its resource and the name of the scope that emitted it. */
    public record ReceivedLog(LogRecord record, Resource resource, String scope) {

        public String traceId() {
            return HexFormat.of().formatHex(record.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(record.getSpanId().toByteArray());
        }

        public Optional<AnyValue> attribute(String key) {
            return record.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst();
        }

        public String string(String key) {
            return attribute(key).map(AnyValue::getStringValue).orElse(null);
        }

        public String service() {
            return serviceOf(resource);
        }
    }

    private static String serviceOf(Resource resource) {
        return resource.getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
                .map(kv -> kv.getValue().getStringValue()).findFirst().orElse(null);
    }

    /** One metric of one export, under its resource. */
    public record ReceivedMetric(Metric metric, Resource resource) {
        public String name() {
            return metric.getName();
        }

        public String service() {
            return serviceOf(resource);
        }
    }
    private final HttpServer http;
    private final Server grpc;

    private OtlpReceiver() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/v1/traces", exchange -> export(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray(),
                (message, headers) -> store(ExportTraceServiceRequest.parseFrom(message), headers)));
        http.createContext("/v1/metrics", exchange -> export(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray(),
                (message, headers) -> storeMetrics(ExportMetricsServiceRequest.parseFrom(message))));
        http.createContext("/v1/logs", exchange -> export(exchange, ExportLogsServiceResponse.getDefaultInstance().toByteArray(),
                (message, headers) -> storeLogs(ExportLogsServiceRequest.parseFrom(message))));
        http.start();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(new TraceService(), new HeaderCapture()))
                .addService(new MetricsService())
                .addService(new LogsService())
                .build().start();
    }

    /** Takes one OTLP/HTTP export: its message (gunzipped, at most a collector's default size) and its headers. */
    private interface ExportStore {
        void store(byte[] message, Map<String, String> headers) throws IOException;
    }

    private void export(com.sun.net.httpserver.HttpExchange exchange, byte[] answer, ExportStore store) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().get(0), (a, b) -> a));
            byte[] message = body.readNBytes(MAX_MESSAGE_BYTES + 1);
            if (message.length > MAX_MESSAGE_BYTES) {
                oversized.incrementAndGet();
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            store.store(message, headers);
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    public static synchronized OtlpReceiver shared() {
        if (shared == null) {
            try {
                shared = new OtlpReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String httpEndpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public String grpcEndpoint() {
        return "http://127.0.0.1:" + grpc.getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Waits until a span matches, then a little longer for its trace's other spans to arrive too. */
    public ReceivedSpan await(Predicate<ReceivedSpan> match, Duration timeout) {
        return first(spans, match, timeout, "span");
    }

    private static <T> T first(List<T> received, Predicate<T> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = received.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(50);
        }
        throw new AssertionError("no matching " + what + " exported within " + timeout + "; received "
                + (received.size() <= 50 ? received.toString() : received.size() + ", the last " + received.subList(received.size() - 50, received.size())));
    }

    /** The three spans (server, model, provider attempt) of an answered inference, found by its inference id. */
    public List<ReceivedSpan> traceOfAnswer(java.net.http.HttpResponse<String> response, Duration timeout) {
        String inferenceId = inferenceId(response);
        ReceivedSpan chat = await(s -> inferenceId.equals(s.string("gateway.inference_id")) && s.name().startsWith("chat "), timeout);
        return trace(chat.traceId(), 3, timeout);
    }

    /** The spans of an inference's trace, found by its provider attempt, once {@code spans} of them have arrived. */
    public List<ReceivedSpan> traceOfInference(String inferenceId, int spans, Duration timeout) {
        ReceivedSpan attempt = await(s -> inferenceId.equals(s.string("gateway.inference_id")) && s.kind() == Span.SpanKind.SPAN_KIND_CLIENT, timeout);
        return trace(attempt.traceId(), spans, timeout);
    }

    /** The inference id of an answered request. */
    public static String inferenceId(java.net.http.HttpResponse<String> response) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
    }

    public static ReceivedSpan named(List<ReceivedSpan> trace, String name) {
        return trace.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace));
    }

    /** The one span of the trace of that kind. */
    public static ReceivedSpan kind(List<ReceivedSpan> trace, Span.SpanKind kind) {
        List<ReceivedSpan> matching = trace.stream().filter(s -> s.kind() == kind).toList();
        org.assertj.core.api.Assertions.assertThat(matching).as("%s spans in %s", kind, trace).hasSize(1);
        return matching.get(0);
    }

    /** The spans of one trace, once {@code count} of them have arrived. */
    public List<ReceivedSpan> trace(String traceId, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ReceivedSpan> trace = List.of();
        while (System.nanoTime() < deadline) {
            trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
            if (trace.size() >= count) {
                sleep(300);
                return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
            }
            sleep(50);
        }
        throw new AssertionError("trace " + traceId + " has " + trace + ", expected " + count + " spans");
    }

    /** Every metric received so far from the service, latest export last. */
    public List<ReceivedMetric> metrics(String service) {
        return metrics.stream().filter(m -> service.equals(m.service())).toList();
    }

    private void storeMetrics(ExportMetricsServiceRequest request) {
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    metrics.add(new ReceivedMetric(metric, resourceMetrics.getResource()));
                }
            }
        }
    }

    /** Every log record received so far, in the order received. */
    public List<ReceivedLog> logs() {
        return List.copyOf(logs);
    }

    /** Waits until a log record matches. */
    public ReceivedLog awaitLog(Predicate<ReceivedLog> match, Duration timeout) {
        return first(logs, match, timeout, "log record");
    }

    private void storeLogs(ExportLogsServiceRequest request) {
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    logs.add(new ReceivedLog(record, resourceLogs.getResource(), scopeLogs.getScope().getName()));
                }
            }
        }
    }

    private final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {
        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
            storeLogs(request);
            response.onNext(ExportLogsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            storeMetrics(request);
            response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private void store(ExportTraceServiceRequest request, Map<String, String> headers) {
        List<ReceivedSpan> received = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    received.add(new ReceivedSpan(span, resourceSpans.getResource(), headers));
                }
            }
        }
        spans.addAll(received);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final io.grpc.Context.Key<Map<String, String>> HEADERS = io.grpc.Context.key("otlp-headers");

    private final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
            store(request, HEADERS.get() == null ? Map.of() : HEADERS.get());
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    /** Keeps the gRPC metadata of each export, as the HTTP side keeps its headers. */
    private static final class HeaderCapture implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata metadata, ServerCallHandler<Q, A> next) {
            Map<String, String> headers = metadata.keys().stream().filter(k -> !k.endsWith(Metadata.BINARY_HEADER_SUFFIX))
                    .collect(Collectors.toMap(k -> k, k -> metadata.get(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER))));
            return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(HEADERS, headers), call, metadata, next);
        }
    }
}
