package dev.llmgateway.telemetry.export;

import dev.llmgateway.config.RequestExportSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The span processor, the routing exporter and the tenant exporters together, inside a real SDK. */
class RequestRoutingTest {

    private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant");

    /** Remembers each export call as one batch, the way a collector sees export requests. */
    static final class Recorder implements SpanExporter {
        final Map<String, String> headers;
        final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();
        volatile boolean shutdown;
        /** Answers no export, as a black-holed collector: the processor gives each up after its timeout. */
        volatile boolean blackHoled;

        Recorder(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            assertThat(shutdown).as("export after shutdown").isFalse();
            if (blackHoled) {
                return new CompletableResultCode();
            }
            batches.add(List.copyOf(spans));
            return CompletableResultCode.ofSuccess();
        }

        List<SpanData> spans() {
            return batches.stream().flatMap(List::stream).toList();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            shutdown = true;
            return CompletableResultCode.ofSuccess();
        }
    }

    private final RequestRoutes routes = new RequestRoutes(dev.llmgateway.metrics.GatewayMetrics.shared());
    private final Recorder plain = new Recorder(Map.of());
    private final Map<Map<String, String>, Recorder> made = new ConcurrentHashMap<>();
    private final List<Recorder> allMade = new CopyOnWriteArrayList<>();
    private SdkTracerProvider provider;
    private Tracer tracer;

    private void sdk(int maxExporters, Duration retention) {
        sdk(maxExporters, retention, Duration.ofMillis(20));
    }

    private void sdk(int maxExporters, Duration retention, Duration exportDelay) {
        sdk(maxExporters, retention, exportDelay, 16L << 20, 2048);
    }

    private void sdk(int maxExporters, Duration retention, Duration exportDelay, long maxWaitingBytes, int queue) {
        routes.configure(new RequestExportSettings(true, true, true, Set.of(), Set.of(), true, 16, 1024, 8192, maxExporters, 1_000, retention,
                maxWaitingBytes));
        TenantExporters tenants = new TenantExporters(headers -> {
            Recorder recorder = new Recorder(headers);
            made.put(headers, recorder);
            allMade.add(recorder);
            return recorder;
        }, () -> routes.settings().maxExporters(), () -> routes.settings().newExportersPerSecond(), dev.llmgateway.metrics.GatewayMetrics.shared());
        routes.pipelineBuilt(new RequestRoutes.Pipeline(Map.of(), null), tenants);
        provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "gw")))
                .addSpanProcessor(BatchSpanProcessor.builder(new RoutingSpanExporter(plain, tenants, routes, dev.llmgateway.metrics.GatewayMetrics.shared()))
                        .setScheduleDelay(exportDelay).setMaxExportBatchSize(64).setMaxQueueSize(queue)
                        .setExporterTimeout(Duration.ofMillis(50)).build())
                .addSpanProcessor(new RoutingSpanProcessor(routes))
                .build();
        tracer = provider.get("test");
    }

    @AfterEach
    void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    @Test
    void eachBatchCarriesOnlySpansOfTheTenantItsHeadersName() throws Exception {
        sdk(8, Duration.ofSeconds(60));
        int requests = 400;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int request = i;
            done.add(pool.submit(() -> request(request % 5 == 0 ? null : "tenant-" + (request % 6))));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        provider.forceFlush().join(5, TimeUnit.SECONDS);

        int exported = plain.spans().size();
        for (Recorder recorder : allMade) {
            String tenant = recorder.headers.get("x-tenant");
            for (List<SpanData> batch : recorder.batches) {
                assertThat(batch).allSatisfy(span -> {
                    assertThat(span.getAttributes().get(TENANT)).isEqualTo(tenant);
                    assertThat(span.getResource().getAttribute(AttributeKey.stringKey("tenant.resource"))).isEqualTo(tenant);
                    assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("gw");
                    assertThat(span.getAttributes().get(RequestRoutes.ROUTE)).isNull();
                });
            }
            exported += recorder.spans().size();
        }
        assertThat(plain.spans()).allSatisfy(span -> assertThat(span.getAttributes().get(TENANT)).isNull());
        assertThat(exported).as("every span exported once").isEqualTo(requests * 3);
        assertThat(routes.route(1)).isNull();
        assertThat(made.keySet()).hasSize(6);
    }

    @Test
    void untilARequestAsksForOverridesEveryBatchGoesToThePlainExporterWhole() {
        sdk(8, Duration.ofSeconds(60));
        for (int i = 0; i < 100; i++) {
            request(null);
        }
        provider.forceFlush().join(5, TimeUnit.SECONDS);

        assertThat(plain.spans()).hasSize(300).allSatisfy(span -> assertThat(span.getAttributes().get(RequestRoutes.ROUTE)).isNull());
        assertThat(allMade).isEmpty();
        assertThat(routes.everRouted()).isFalse();

        request("tenant-a");
        assertThat(routes.everRouted()).isTrue();
    }

    @Test
    void aRouteStaysWhileASpanIsOpenAndGoesOnceEverySpanIsExported() throws Exception {
        sdk(8, Duration.ofMillis(1));
        Span late;
        try (RequestRoutes.Scope ignored = routes.enter(overrides("tenant-a"))) {
            late = tracer.spanBuilder("late").startSpan();
        }
        request("tenant-a");
        provider.forceFlush().join(5, TimeUnit.SECONDS);
        Thread.sleep(1_100); // past the sweep interval: the idle route of the span still open stays, being open
        request("tenant-b");
        provider.forceFlush().join(5, TimeUnit.SECONDS);
        assertThat(routes.route(1)).as("a route with an open span is kept").isNotNull();

        late.end();
        Recorder tenantA = made.get(Map.of("x-tenant", "tenant-a"));
        awaitSpans(tenantA, 4);
        assertThat(tenantA.spans()).extracting(SpanData::getName).contains("late");
        assertThat(plain.spans()).isEmpty();
        awaitReleased(1);
    }

    @Test
    void aSpanWhoseRouteExpiredBeforeItsExportIsDroppedNotSentWithoutItsHeaders() throws Exception {
        sdk(8, Duration.ofMillis(1), Duration.ofMinutes(10));
        request("tenant-a");
        Thread.sleep(1_100);
        routes.sweep();
        assertThat(routes.route(1)).isNull();

        provider.forceFlush().join(5, TimeUnit.SECONDS);
        assertThat(plain.spans()).isEmpty();
        assertThat(allMade).as("made when the request came, never sent to").hasSize(1)
                .allSatisfy(recorder -> assertThat(recorder.spans()).isEmpty());
    }

    @Test
    void anEvictedExporterIsClosedAndAReturningTenantGetsAFreshOne() throws Exception {
        sdk(1, Duration.ofSeconds(60));
        for (String tenant : List.of("tenant-a", "tenant-b", "tenant-a")) {
            int before = allMade.size();
            request(tenant);
            for (int i = 0; i < 100 && (allMade.size() == before || allMade.get(before).spans().size() < 3); i++) {
                provider.forceFlush().join(1, TimeUnit.SECONDS);
                Thread.sleep(20);
            }
        }

        assertThat(allMade).hasSize(3);
        assertThat(allMade.get(0).shutdown).isTrue();
        assertThat(allMade.get(1).shutdown).isTrue();
        assertThat(allMade.get(2).shutdown).isFalse();
        assertThat(allMade.get(2).spans()).hasSize(3);
    }

    private void awaitSpans(Recorder recorder, int count) throws InterruptedException {
        for (int i = 0; i < 100 && recorder.spans().size() < count; i++) {
            provider.forceFlush().join(1, TimeUnit.SECONDS);
            Thread.sleep(20);
        }
    }

    private void awaitReleased(long route) throws InterruptedException {
        for (int i = 0; i < 100 && routes.route(route) != null; i++) {
            Thread.sleep(20);
        }
        assertThat(routes.route(route)).as("route %d released", route).isNull();
    }

    @Test
    void whileTheCollectorIsBlackHoledExportStateStaysWithinItsBound() {
        long bound = 256 * 1024;
        sdk(8, Duration.ofSeconds(60), Duration.ofMillis(5), bound, 64);
        plain.blackHoled = true;
        for (int t = 0; t < 4; t++) {
            request("tenant-" + t); // the tenants' exporters exist, and are black-holed too
        }
        made.values().forEach(recorder -> recorder.blackHoled = true);
        String padding = "x".repeat(500);
        for (int i = 0; i < 5_000; i++) {
            ExportOverrides distinct = new ExportOverrides(Map.of("x-tenant", "tenant-" + i % 4), Attributes.of(TENANT, "t-" + i + padding),
                    Attributes.empty());
            try (RequestRoutes.Scope ignored = routes.enter(distinct)) {
                spans();
            }
        }

        assertThat(routes.waitingBytes()).as("bytes held by finished requests' export state").isLessThanOrEqualTo(bound);
        assertThat(routes.liveRoutes()).as("routes held, of 5,000 requests, each about 1.4 KB").isLessThanOrEqualTo(200);
        assertThat(made).as("one exporter per tenant, however many requests").hasSize(4);
    }

    /** A request: a server span with two children, routed when a tenant is named. */
    private void request(String tenant) {
        if (tenant == null) {
            spans();
            return;
        }
        try (RequestRoutes.Scope ignored = routes.enter(overrides(tenant))) {
            spans();
        }
    }

    private void spans() {
        Span server = tracer.spanBuilder("POST /v1/chat/completions").startSpan();
        try (Scope ignored = server.makeCurrent()) {
            tracer.spanBuilder("model_inference").startSpan().end();
            tracer.spanBuilder("chat").startSpan().end();
        } finally {
            server.end();
        }
    }

    private static ExportOverrides overrides(String tenant) {
        return new ExportOverrides(Map.of("x-tenant", tenant), Attributes.of(TENANT, tenant),
                Attributes.of(AttributeKey.stringKey("tenant.resource"), tenant));
    }
}
