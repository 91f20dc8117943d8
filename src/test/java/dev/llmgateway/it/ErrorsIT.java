package dev.llmgateway.it;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every way a request can fail ends in OpenAI's error shape with the right status, and leaks nothing. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorsIT {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ArquillianResource
    URL base;

    /**
     * Tracing, the GenAI metrics and the log records export are on with the collector down (or worse) throughout:
     * none of these outcomes may change because of it.
     */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withCollectorDown();
    }

    @Test
    void noCollectorFaultCostsARequestAndExportResumesWhenItRecovers() throws InterruptedException {
        FaultyCollector collector = FaultyCollector.shared();
        long dropLinesBefore = dropLogLines();
        // cumulative: other tests of this class may have had spans dropped before this one starts
        double droppedBefore = new Scrape(RawHttp.get(base, "/metrics").body()).sum("gateway_spans_dropped_total", "reason=\"queue_full\"");
        long started = System.nanoTime();
        try {
            collector.mode(FaultyCollector.Mode.HEALTHY);
            double healthy = medianMillis(100);
            for (FaultyCollector.Mode fault : List.of(FaultyCollector.Mode.REFUSING, FaultyCollector.Mode.BLACK_HOLE,
                    FaultyCollector.Mode.SLOW, FaultyCollector.Mode.UNAVAILABLE)) {
                collector.mode(fault);
                assertThat(medianMillis(150)).as("median latency with the collector %s (healthy: %.1f ms)", fault, healthy)
                        .isLessThan(healthy * 3 + 10);
                HttpResponse<String> stream = chat("{\"model\":\"echo-model\",\"stream\":true," + MESSAGES + "}");
                assertThat(stream.body()).as(fault.name()).endsWith("data: [DONE]\n\n");
            }
            Scrape metrics = awaitMetrics(m -> m.sum("gateway_spans_dropped_total", "reason=\"queue_full\"") > droppedBefore);
            for (long deadline = System.nanoTime() + 2_000_000_000L; dropLogLines() == dropLinesBefore && System.nanoTime() < deadline; ) {
                Thread.sleep(100); // the line is written just after the counter moves
            }
            assertThat(metrics.sum("gateway_spans_exported_total", "result=\"failure\"")).as("failed exports are counted").isPositive();
            assertThat(metrics.sum("gateway_span_queue_size")).as("the queue stays bounded").isLessThanOrEqualTo(GatewayDeployment.SPAN_QUEUE);
            long dropLines = dropLogLines() - dropLinesBefore;
            long intervals = (System.nanoTime() - started) / 5_000_000_000L + 2;
            assertThat(dropLines).as("drops are logged once per 5 s interval, not per span").isBetween(1L, intervals);

            int metricExportsBefore = collector.metricExports();
            collector.mode(FaultyCollector.Mode.HEALTHY);
            HttpResponse<String> after = chat("{\"model\":\"dummy\"," + MESSAGES + "}");
            String inferenceId = after.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && collector.received().stream().noneMatch(span -> span.getAttributesList().stream()
                    .anyMatch(a -> a.getKey().equals("gateway.inference_id") && a.getValue().getStringValue().equals(inferenceId)))) {
                Thread.sleep(100);
            }
            assertThat(collector.received()).as("export resumed without a restart")
                    .anyMatch(span -> span.getAttributesList().stream().anyMatch(a -> a.getValue().getStringValue().equals(inferenceId)));
            for (long metricsDeadline = System.nanoTime() + 10_000_000_000L;
                 collector.metricExports() == metricExportsBefore && System.nanoTime() < metricsDeadline; ) {
                Thread.sleep(100);
            }
            assertThat(collector.metricExports()).as("metric export resumed too").isGreaterThan(metricExportsBefore);
            for (long logsDeadline = System.nanoTime() + 10_000_000_000L; !collector.logged(inferenceId) && System.nanoTime() < logsDeadline; ) {
                Thread.sleep(100);
            }
            assertThat(collector.logged(inferenceId)).as("log record export resumed too").isTrue();
        } finally {
            collector.mode(FaultyCollector.Mode.REFUSING);
        }
    }

    /** Makes the collector healthy and waits until exports flow again, so the queue has room for what comes next. */
    private void healthy(FaultyCollector collector) throws InterruptedException {
        int before = collector.received().size();
        collector.mode(FaultyCollector.Mode.HEALTHY);
        chat("{\"model\":\"dummy\"," + MESSAGES + "}");
        for (long deadline = System.nanoTime() + 20_000_000_000L; collector.received().size() == before && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
    }

    private static long dropLogLines() {
        return ServerLog.lines().stream().filter(line -> line.contains("spans dropped in the last")).count();
    }

    private double medianMillis(int requests) {
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = chat("{\"model\":\"dummy\"," + MESSAGES + "}");
            millis[i] = (System.nanoTime() - start) / 1e6;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        Arrays.sort(millis);
        return millis[requests / 2];
    }

    private Scrape awaitMetrics(Predicate<Scrape> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Scrape metrics = new Scrape(RawHttp.get(base, "/metrics").body());
        while (System.nanoTime() < deadline && !condition.test(metrics)) {
            Thread.sleep(250);
            metrics = new Scrape(RawHttp.get(base, "/metrics").body());
        }
        assertThat(condition.test(metrics)).as("metrics reached the expected state in time").isTrue();
        return metrics;
    }

    @Test
    void mutatedRequestsGetAnAnswerOrAWellFormedRefusalNeverA500() {
        String valid = "{\"model\":\"dummy\",\"temperature\":0.5,\"max_tokens\":12,\"stream\":false,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"héllo wörld\"}]}";
        java.util.Random random = new java.util.Random(20261122L);
        for (int i = 0; i < 300; i++) {
            String body = RequestMutations.mutate(valid, random);
            HttpResponse<String> response = chat(body);
            assertThat(response.statusCode()).as("%s → %s", body, response.body()).isIn(200, 400, 404, 413);
            if (response.statusCode() == 200) {
                assertThat(response.body()).as(body).startsWith("{\"id\":");
            } else {
                assertThat(response.body()).as(body).startsWith("{\"error\":{\"message\":\"").contains("\"type\":\"invalid_request_error\"");
            }
        }
    }

    @Test
    void malformedJsonIs400() {
        assertError(chat("{\"model\":\"dummy\","), 400, "invalid_request_error", null);
        assertError(chat("not json at all"), 400, "invalid_request_error", null);
        assertError(chat(""), 400, "invalid_request_error", null);
    }

    @Test
    void missingModelOrMessagesIs400NamingTheParameter() {
        assertError(chat("{" + MESSAGES + "}"), 400, "invalid_request_error", "model");
        assertError(chat("{\"model\":\"dummy\"}"), 400, "invalid_request_error", "messages");
        assertError(chat("{\"model\":\"dummy\",\"messages\":[]}"), 400, "invalid_request_error", "messages");
        assertError(chat("{\"model\":\"dummy\"," + MESSAGES + ",\"stream\":\"yes\"}"), 400, "invalid_request_error", "stream");
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        HttpResponse<String> response = chat("{\"model\":\"gpt-9\"," + MESSAGES + "}");

        assertError(response, 404, "invalid_request_error", "model");
        assertThat(response.body()).contains("\"code\":\"model_not_found\"").contains("gpt-9");
        assertThatThrownBy(() -> OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey("k").maxRetries(0).build()
                .chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-9").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat((int) GatewayDeployment.MAX_BODY_BYTES) + "\"}]}";

        HttpResponse<String> response = chat(big);

        assertError(response, 413, "invalid_request_error", null);
        assertThat(response.body()).contains("\"code\":\"request_too_large\"");
    }

    @Test
    void upstreamServerErrorIs502WithTheUpstreamsExplanation() {
        HttpResponse<String> response = chat("{\"model\":\"fail-500\"," + MESSAGES + "}");

        assertError(response, 502, "api_error", null);
        assertThat(response.body()).contains("\"code\":\"upstream_error\"").contains("upstream exploded").contains("'stub'");
    }

    @Test
    void upstreamRefusingTheGatewaysKeyIs502AndNeverEchoesTheKey() {
        HttpResponse<String> response = chat("{\"model\":\"fail-401\"," + MESSAGES + "}");

        assertError(response, 502, "api_error", null);
        assertThat(response.body()).doesNotContain(GatewayDeployment.PROVIDER_KEY).contains("credentials");
    }

    @Test
    void upstreamRefusingTheRequestPassesItsStatusReasonCodeAndParameterOnToTheClientAndTheSpan() throws InterruptedException {
        FaultyCollector collector = FaultyCollector.shared();
        try {
            healthy(collector);
            HttpResponse<String> response = chat("{\"model\":\"fail-400\"," + MESSAGES + "}");

            assertError(response, 400, "invalid_request_error", "max_tokens");
            assertThat(response.body()).contains("max_tokens is too large").contains("\"code\":\"context_length_exceeded\"");
            BadRequestException sdk = catchThrowableOfType(BadRequestException.class, () -> OpenAIOkHttpClient.builder()
                    .baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey("k").maxRetries(0).build().chat().completions()
                    .create(ChatCompletionCreateParams.builder().model("fail-400").addUserMessage("hi").build()));
            assertThat(sdk.code()).contains("context_length_exceeded");
            assertThat(sdk.param()).contains("max_tokens");
            String inferenceId = response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
            Span attempt = awaitSpan(collector, inferenceId, "chat fail-400");
            assertThat(attempt.getAttributesList()).anyMatch(a -> a.getKey().equals("error.type")
                    && a.getValue().getStringValue().equals("context_length_exceeded"));
            assertThat(attempt.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        } finally {
            collector.mode(FaultyCollector.Mode.REFUSING);
        }
    }

    /** The span of that name in the inference's trace, once the collector has it. */
    private static Span awaitSpan(FaultyCollector collector, String inferenceId, String name) throws InterruptedException {
        for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            var traceIds = collector.received().stream().filter(span -> span.getAttributesList().stream()
                    .anyMatch(a -> a.getKey().equals("gateway.inference_id") && a.getValue().getStringValue().equals(inferenceId)))
                    .map(Span::getTraceId).collect(Collectors.toSet());
            var found = collector.received().stream().filter(span -> traceIds.contains(span.getTraceId()) && span.getName().equals(name)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no span '" + name + "' of inference " + inferenceId + " reached the collector; it received "
                + collector.received().size() + " spans");
    }

    @Test
    void upstreamRateLimitIs429WithRetryAfter() {
        HttpResponse<String> response = chat("{\"model\":\"fail-429\"," + MESSAGES + "}");

        assertError(response, 429, "rate_limit_error", null);
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void upstreamTimeoutIs504() {
        long started = System.nanoTime();
        HttpResponse<String> response = chat("{\"model\":\"slow\"," + MESSAGES + "}");

        assertError(response, 504, "timeout_error", null);
        assertThat(response.body()).contains("\"code\":\"upstream_timeout\"").contains("500 ms");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_500);
    }

    @Test
    void anUpstreamThatNeverAcceptsTheConnectionIs504AfterTheConnectTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> response = chat("{\"model\":\"connect-timeout\"," + MESSAGES + "}");

        assertError(response, 504, "timeout_error", null);
        assertThat(response.body()).contains("\"code\":\"upstream_timeout\"").contains("could not be reached within 300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered once the connect timeout passed").isBetween(250L, 5_000L);
    }

    @Test
    void unreachableUpstreamIs502() {
        assertError(chat("{\"model\":\"unreachable\"," + MESSAGES + "}"), 502, "api_error", null);
        assertError(chat("{\"model\":\"unreachable\"," + MESSAGES + ",\"stream\":true}"), 502, "api_error", null);
    }

    @Test
    void aStreamTheUpstreamBreaksEndsWithAnErrorEvent() {
        HttpResponse<String> response = chat("{\"model\":\"break-mid-stream\"," + MESSAGES + ",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("partial ").contains("\"error\":{").contains("\"type\":\"api_error\"")
                .doesNotContain("[DONE]");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("break-mid-stream").addUserMessage("hi").build();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString())
                    .apiKey("k").maxRetries(0).build().chat().completions().createStreaming(params)) {
                stream.stream().collect(Collectors.toList());
            }
        }).isInstanceOf(SseException.class);
    }

    @Test
    void anOversizeHeaderIsRefusedWithoutA500() {
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("X-Oversize", "x".repeat(256 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\"," + MESSAGES + "}")));
        // both runtimes' HTTP connectors refuse it before the application sees it: 400, empty body, connection closed
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEmpty();
        assertThat(chat("{\"model\":\"dummy\"," + MESSAGES + "}").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void anUpstreamThatResetsOrAnswersGarbageBeforeAnswering502() {
        for (String model : List.of("reset-before-answer", "reset-mid-body", "malformed-json")) {
            HttpResponse<String> response = chat("{\"model\":\"" + model + "\"," + MESSAGES + "}");
            assertError(response, 502, "api_error", null);
            assertThat(response.body()).as(model).contains("\"code\":\"upstream_error\"").doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (String model : List.of("reset-before-answer", "malformed-json")) {
            HttpResponse<String> stream = chat("{\"model\":\"" + model + "\",\"stream\":true," + MESSAGES + "}");
            assertError(stream, 502, "api_error", null);
        }
    }

    @Test
    void anUpstreamResetEndsTheAttemptSpanWithAnError() throws InterruptedException {
        FaultyCollector collector = FaultyCollector.shared();
        try {
            healthy(collector);
            Map<String, String> expected = Map.of("reset-mid-body", "connection", "malformed-json", "malformed_response");
            for (Map.Entry<String, String> fault : expected.entrySet()) {
                String inferenceId = chat("{\"model\":\"" + fault.getKey() + "\"," + MESSAGES + "}").headers()
                        .firstValue("X-Gateway-Inference-Id").orElseThrow();
                Span attempt = null;
                for (long deadline = System.nanoTime() + 20_000_000_000L; attempt == null && System.nanoTime() < deadline; Thread.sleep(100)) {
                    attempt = collector.received().stream().filter(span -> span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                            && span.getAttributesList().stream().anyMatch(a -> a.getValue().getStringValue().equals(inferenceId))).findFirst().orElse(null);
                }
                assertThat(attempt).as("the provider attempt span of %s among %s", fault.getKey(),
                        collector.received().stream().map(span -> span.getName() + "/" + span.getKind()).toList()).isNotNull();
                assertThat(attempt.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                assertThat(attempt.getAttributesList()).anyMatch(a -> a.getKey().equals("error.type") && a.getValue().getStringValue().equals(fault.getValue()));
            }
        } finally {
            collector.mode(FaultyCollector.Mode.REFUSING);
        }
    }

    @Test
    void aStreamTheUpstreamResetsOrCorruptsEndsWithAnErrorEvent() {
        for (String model : List.of("reset-mid-stream", "malformed-sse")) {
            HttpResponse<String> response = chat("{\"model\":\"" + model + "\",\"stream\":true," + MESSAGES + "}");
            assertThat(response.statusCode()).as(model).isEqualTo(200);
            assertThat(response.body()).as(model).contains("partial ").contains("\"error\":{").doesNotContain("[DONE]").doesNotContain("Exception");
        }
    }

    @Test
    void aClientThatLeavesMidStreamCancelsTheUpstreamWithinASecond() throws Exception {
        HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"endless-stream\",\"stream\":true," + MESSAGES + "}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long left;
        try (InputStream in = response.body()) {
            assertThat(new String(in.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("data: ");
            left = System.nanoTime();
        }

        long deadline = System.nanoTime() + 5_000_000_000L;
        Long aborted = null;
        while (System.nanoTime() < deadline && (aborted == null || aborted < left)) {
            Thread.sleep(20);
            aborted = UpstreamStub.shared().streamAbortedAt("endless-stream");
        }
        assertThat(aborted).as("the upstream saw the gateway hang up").isNotNull().isGreaterThan(left);
        assertThat((aborted - left) / 1_000_000).isLessThan(1_000);
    }

    @Test
    void aStreamWhoseUpstreamHoldsItsBodyOpenAfterDoneFinishesAtDone() throws InterruptedException {
        FaultyCollector collector = FaultyCollector.shared();
        try {
            healthy(collector);
            long start = System.nanoTime();
            HttpResponse<String> response = chat("{\"model\":\"held-open-stream\",\"stream\":true," + MESSAGES + "}");
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response.body()).contains("whole ").endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
            assertThat(millis).as("the answer ended at [DONE], not when the upstream let go 10 s later").isLessThan(2_000);
            long finished = UpstreamStub.shared().streamFinishedAt("held-open-stream");
            Long aborted = null;
            for (long deadline = System.nanoTime() + 3_000_000_000L; (aborted == null || aborted < finished) && System.nanoTime() < deadline; Thread.sleep(50)) {
                aborted = UpstreamStub.shared().streamAbortedAt("held-open-stream");
            }
            assertThat(aborted).as("the gateway hung up on an upstream trickling comments after [DONE]").isNotNull().isGreaterThan(finished);
            assertThat((aborted - finished) / 1_000_000).isLessThan(1_500);
            Span attempt = awaitSpan(collector, response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow(), "chat held-open-stream");
            assertThat(attempt.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(attempt.getAttributesList()).anyMatch(a -> a.getKey().equals("gateway.stream.end") && a.getValue().getStringValue().equals("complete"));
        } finally {
            collector.mode(FaultyCollector.Mode.REFUSING);
        }
    }

    @Test
    void aClientGoneBeforeTheFirstChunkReleasesTheUpstreamAndEndsItsSpans() throws Exception {
        FaultyCollector collector = FaultyCollector.shared();
        try {
            healthy(collector);
            int before = collector.received().size();
            byte[] body = ("{\"model\":\"late-stream\",\"stream\":true," + MESSAGES + "}").getBytes(StandardCharsets.UTF_8);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
                Thread.sleep(300);
                socket.setSoLinger(true, 0); // a reset, as a client process that died
            }
            Span attempt = null;
            for (long deadline = System.nanoTime() + 20_000_000_000L; attempt == null && System.nanoTime() < deadline; Thread.sleep(100)) {
                attempt = collector.received().stream().skip(before).filter(span -> span.getName().equals("chat late-stream")).findFirst().orElse(null);
            }
            assertThat(attempt).as("the attempt span ended and was exported").isNotNull();
            assertThat(awaitMetrics(m -> m.sum("gateway_active_streams") == 0).sum("gateway_active_streams")).isZero();
        } finally {
            collector.mode(FaultyCollector.Mode.REFUSING);
        }
    }

    @Test
    void repeatedUpstreamFaultsLeakNoThreadsAndNoConnections() throws Exception {
        String[] faults = {"fail-500", "fail-429", "fail-400", "fail-401", "unreachable", "connect-timeout", "reset-before-answer",
                "reset-mid-body", "malformed-json"};
        String[] streamFaults = {"break-mid-stream", "reset-mid-stream", "malformed-sse"};
        int stubPort = java.net.URI.create(UpstreamStub.shared().baseUrl()).getPort();
        for (String fault : faults) {
            chat("{\"model\":\"" + fault + "\"," + MESSAGES + "}");
        }
        for (String fault : streamFaults) {
            chat("{\"model\":\"" + fault + "\",\"stream\":true," + MESSAGES + "}");
        }
        Thread.sleep(500);
        ServerProcess server = ServerProcess.find();
        int threadsBefore = server.threads();
        long connectionsBefore = ServerProcess.connectionsTo(stubPort);

        for (int i = 0; i < 40; i++) {
            for (String fault : faults) {
                assertThat(chat("{\"model\":\"" + fault + "\"," + MESSAGES + "}").statusCode()).isBetween(400, 599);
            }
            for (String fault : streamFaults) {
                assertThat(chat("{\"model\":\"" + fault + "\",\"stream\":true," + MESSAGES + "}").body()).contains("\"error\"");
            }
        }
        Thread.sleep(1_000);

        assertThat(server.threads()).as("server threads after 480 upstream faults").isLessThanOrEqualTo(threadsBefore + 10);
        assertThat(ServerProcess.connectionsTo(stubPort)).as("connections to the upstream").isLessThanOrEqualTo(connectionsBefore + 4);
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonNotHtml() {
        assertError(RawHttp.get(base, "/v1/nothing-here"), 404, "invalid_request_error", null);
        assertError(RawHttp.get(base, "/nothing-here"), 404, "invalid_request_error", null);
        assertError(RawHttp.get(base, "/v1/chat/completions"), 405, "invalid_request_error", null);
    }

    /** A browser posts a Blob without a media type cross-origin without asking first: JSON must say it is JSON. */
    @Test
    void aBodyWithoutContentTypeIs415() {
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\"," + MESSAGES + "}")));

        assertError(response, 415, "invalid_request_error", null);
        assertThat(response.body()).contains("\"code\":\"unsupported_media_type\"");
    }

    private HttpResponse<String> chat(String body) {
        return RawHttp.post(base, "/v1/chat/completions", body);
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body())
                .startsWith("{\"error\":{\"message\":\"")
                .contains("\"type\":\"" + type + "\"")
                .contains(param == null ? "\"param\":null" : "\"param\":\"" + param + "\"")
                .contains("\"code\":")
                .doesNotContain("Exception").doesNotContain("<html").doesNotContain("\tat ");
    }
}
