package dev.llmgateway.it;

import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.llmgateway.it.OtlpReceiver.inferenceId;
import static dev.llmgateway.it.OtlpReceiver.kind;
import static dev.llmgateway.it.OtlpReceiver.named;

/**
 * The trace of an inference, as the runtime exports it: one trace per request, the runtime's server span at
 * its root, then function → variant → model → one CLIENT span per provider attempt, with GenAI attributes.
 * Each subclass runs these against one export protocol.
 */
abstract class TracingContract {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"trace me please\"}]";

    @ArquillianResource
    URL base;

    private final OtlpReceiver receiver = OtlpReceiver.shared();

    public URL base() {
        return base;
    }

    /** Whether this deployment opted in to prompts and completions on spans. */
    protected abstract boolean capturesContent();

    @Test
    void aModelCallIsServerThenModelThenProviderSpan() {
        HttpResponse<String> response = chat("{\"model\":\"dummy\",\"temperature\":0.5,\"max_tokens\":20,\"stop\":[\"END\"]," + HI + "}");
        assertThat(response.statusCode()).isEqualTo(200);
        String inferenceId = response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();

        List<ReceivedSpan> trace = traceOf(inferenceId, 3);
        ReceivedSpan server = kind(trace, SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan model = named(trace, "model_inference dummy");
        ReceivedSpan chat = named(trace, "chat dummy");
        assertThat(trace).hasSize(3);
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(model.parentSpanId()).isEqualTo(server.spanId());
        assertThat(model.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
        assertThat(chat.parentSpanId()).isEqualTo(model.spanId());
        assertThat(chat.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);

        assertThat(chat.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(chat.string("gen_ai.provider.name")).isEqualTo("dummy");
        assertThat(chat.attribute("gen_ai.system")).isEmpty();
        assertThat(chat.string("gen_ai.request.model")).isEqualTo("dummy");
        assertThat(chat.number("gen_ai.request.temperature")).isEqualTo(0.5);
        assertThat(chat.integer("gen_ai.request.max_tokens")).isEqualTo(20);
        assertThat(chat.strings("gen_ai.request.stop_sequences")).containsExactly("END");
        assertThat(chat.attribute("gen_ai.request.stream").orElseThrow().getBoolValue()).isFalse();
        assertThat(chat.string("gen_ai.response.id")).startsWith("chatcmpl-");
        assertThat(chat.string("gen_ai.response.model")).isEqualTo("dummy");
        assertThat(chat.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(chat.integer("gen_ai.usage.input_tokens")).isEqualTo(3);
        assertThat(chat.integer("gen_ai.usage.output_tokens")).isEqualTo(3);
        assertThat(chat.integer("http.response.status_code")).isEqualTo(200);
        assertThat(chat.string("gateway.provider")).isEqualTo("dummy");
        assertThat(chat.integer("gateway.attempt")).isEqualTo(1);
        assertThat(model.string("gateway.model")).isEqualTo("dummy");
        assertThat(model.integer("gateway.attempts")).isEqualTo(1);
        assertThat(chat.resourceAttribute("service.name")).isEqualTo(GatewayDeployment.TRACED_SERVICE);
        assertThat(trace).noneMatch(ReceivedSpan::failed);
        if (capturesContent()) {
            assertThat(chat.string("gen_ai.input.messages"))
                    .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"trace me please\"}]}]");
            assertThat(chat.string("gen_ai.output.messages")).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
                    + "\"content\":\"trace me please\"}],\"finish_reason\":\"stop\"}]");
        } else {
            assertThat(chat.attribute("gen_ai.input.messages")).isEmpty();
            assertThat(chat.attribute("gen_ai.output.messages")).isEmpty();
        }
    }

    @Test
    void contentOnSpansIsOptInAndCut() {
        String longText = "x".repeat(GatewayDeployment.CAPTURED_CHARS * 3);
        String inferenceId = inferenceId(chat("{\"model\":\"dummy\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"" + longText + "\"}]}"));

        ReceivedSpan chat = named(traceOf(inferenceId, 3), "chat dummy");
        if (capturesContent()) {
            String cut = "x".repeat(GatewayDeployment.CAPTURED_CHARS) + "…";
            assertThat(chat.string("gen_ai.system_instructions")).isEqualTo("[{\"type\":\"text\",\"content\":\"Be brief.\"}]");
            assertThat(chat.string("gen_ai.input.messages")).contains("\"content\":\"" + cut + "\"").doesNotContain("Be brief");
            assertThat(chat.string("gen_ai.output.messages")).contains("\"content\":\"" + cut + "\"");
        } else {
            assertThat(chat.attribute("gen_ai.system_instructions")).isEmpty();
            assertThat(chat.span().getAttributesList()).noneMatch(a -> a.getValue().getStringValue().contains("xxxx"));
        }
    }

    @Test
    void aMessagesStreamOfAnAgentSessionIsTheUsualTraceWithItsConversation() {
        HttpResponse<String> response = RawHttp.send(java.net.http.HttpRequest.newBuilder(RawHttp.uri(base, "/v1/messages"))
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .header("X-Claude-Code-Session-Id", "6d1f0c6a-5e7b-4b8e-9d7a-2f3c4b5a6e7f")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"dummy\",\"max_tokens\":20,\"stream\":true,"
                        + "\"metadata\":{\"user_id\":\"u\"},\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        String inferenceId = inferenceId(response);

        List<ReceivedSpan> trace = traceOf(inferenceId, 3);
        ReceivedSpan server = kind(trace, SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan model = named(trace, "model_inference dummy");
        ReceivedSpan chat = named(trace, "chat dummy");
        assertThat(model.parentSpanId()).isEqualTo(server.spanId());
        assertThat(chat.parentSpanId()).isEqualTo(model.spanId());
        assertThat(model.string("gen_ai.conversation.id")).isEqualTo("6d1f0c6a-5e7b-4b8e-9d7a-2f3c4b5a6e7f");
        assertThat(model.strings("gateway.request.dropped_fields")).containsExactly("metadata");
        assertThat(chat.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(chat.strings("gen_ai.response.finish_reasons")).containsExactly("end_turn");
        assertThat(chat.integer("gen_ai.usage.output_tokens")).isEqualTo(3L);
        assertThat(chat.number("gen_ai.response.time_to_first_chunk")).isPositive();
    }

    @Test
    void aFunctionCallAddsFunctionAndVariantSpans() {
        String inferenceId = inferenceId(chat("{\"model\":\"function::summarize\"," + HI + "}"));

        List<ReceivedSpan> trace = traceOf(inferenceId, 5);
        ReceivedSpan server = kind(trace, SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan function = named(trace, "function_inference summarize");
        ReceivedSpan variant = named(trace, "variant_inference concise");
        ReceivedSpan model = named(trace, "model_inference dummy");
        ReceivedSpan chat = named(trace, "chat dummy");
        assertThat(function.parentSpanId()).isEqualTo(server.spanId());
        assertThat(variant.parentSpanId()).isEqualTo(function.spanId());
        assertThat(model.parentSpanId()).isEqualTo(variant.spanId());
        assertThat(chat.parentSpanId()).isEqualTo(model.spanId());
        assertThat(function.string("gateway.function")).isEqualTo("summarize");
        assertThat(function.string("gateway.variant")).isEqualTo("concise");
        assertThat(variant.string("gateway.model")).isEqualTo("dummy");
        assertThat(function.string("gateway.inference_id")).isEqualTo(inferenceId);
    }

    @Test
    void aFallbackShowsTheFailedAttemptThenTheOneThatAnswered() {
        String inferenceId = inferenceId(chat("{\"model\":\"fallback\"," + HI + "}"));

        List<ReceivedSpan> trace = traceOf(inferenceId, 4);
        ReceivedSpan model = named(trace, "model_inference fallback");
        ReceivedSpan failed = named(trace, "chat fail-500");
        ReceivedSpan answered = named(trace, "chat echo-model");
        assertThat(failed.parentSpanId()).isEqualTo(model.spanId());
        assertThat(answered.parentSpanId()).isEqualTo(model.spanId());
        assertThat(failed.failed()).isTrue();
        assertThat(failed.string("error.type")).isEqualTo("500");
        assertThat(failed.integer("http.response.status_code")).isEqualTo(500);
        assertThat(failed.span().getEventsList()).anyMatch(e -> e.getName().equals("exception"));
        assertThat(failed.integer("gateway.attempt")).isEqualTo(1);
        assertThat(answered.failed()).isFalse();
        assertThat(answered.integer("gateway.attempt")).isEqualTo(2);
        assertThat(answered.string("server.address")).isEqualTo("127.0.0.1");
        assertThat(answered.integer("server.port")).isEqualTo((long) URI(UpstreamStub.shared().baseUrl()).getPort());
        assertThat(model.failed()).isFalse();
        assertThat(model.integer("gateway.attempts")).isEqualTo(2);
        // the trace context the upstream received names the attempt that reached it
        assertThat(UpstreamStub.shared().last("echo-model").header("traceparent"))
                .isEqualTo("00-" + answered.traceId() + "-" + answered.spanId() + "-01");
    }

    @Test
    void aStreamSpanEndsAfterTheLastChunkWithTimeToFirstChunk() {
        HttpResponse<String> response = chat("{\"model\":\"renamed\",\"stream\":true," + HI + "}");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");

        List<ReceivedSpan> trace = traceOf(inferenceId(response), 3);
        ReceivedSpan chat = named(trace, "chat echo-model");
        double gaps = (UpstreamStub.STREAMED_WORDS.size() - 1) * UpstreamStub.CHUNK_GAP_MS;
        assertThat(chat.durationMillis()).isGreaterThanOrEqualTo(gaps);
        assertThat(chat.number("gen_ai.response.time_to_first_chunk")).isPositive().isLessThan(gaps / 1000);
        assertThat(chat.attribute("gen_ai.request.stream").orElseThrow().getBoolValue()).isTrue();
        assertThat(chat.string("gateway.stream.end")).isEqualTo("complete");
        assertThat(chat.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(chat.string("gen_ai.response.id")).isEqualTo("chatcmpl-stub-2");
        assertThat(chat.integer("gen_ai.usage.input_tokens")).isEqualTo(9);
        assertThat(chat.integer("gen_ai.usage.output_tokens")).isEqualTo(5);
        assertThat(named(trace, "model_inference renamed").durationMillis()).isGreaterThanOrEqualTo(gaps);
        assertThat(kind(trace, SpanKind.SPAN_KIND_SERVER).durationMillis()).as("the server span covers the whole stream")
                .isGreaterThanOrEqualTo(gaps);
        if (capturesContent()) {
            assertThat(chat.string("gen_ai.output.messages")).contains("\"content\":\"" + String.join("", UpstreamStub.STREAMED_WORDS) + "\"");
        }
    }

    @Test
    void aClientThatLeavesMidStreamEndsTheSpans() throws IOException, InterruptedException {
        String body = "{\"model\":\"slow-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(40) + "\"}]}";
        HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        String inferenceId = response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
        try (InputStream in = response.body()) {
            byte[] first = new byte[64];
            assertThat(in.read(first)).isPositive();
            assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("data: ");
        }

        ReceivedSpan chat = receiver.await(s -> inferenceId.equals(s.string("gateway.inference_id")) && s.name().startsWith("chat "), WAIT);
        assertThat(chat.string("gateway.stream.end")).isEqualTo("cancelled");
        // 40 words 200 ms apart would take 8 s; the span ended when the client left
        assertThat(chat.durationMillis()).isLessThan(5_000);
    }

    @Test
    void anUpstreamTimeoutIsAnErrorSpan() {
        HttpResponse<String> response = chat("{\"model\":\"slow\"," + HI + "}");
        assertThat(response.statusCode()).isEqualTo(504);

        List<ReceivedSpan> trace = traceOf(response.headers().firstValue("X-Gateway-Inference-Id").orElseThrow(), 3);
        ReceivedSpan chat = named(trace, "chat slow");
        assertThat(chat.failed()).isTrue();
        assertThat(chat.string("error.type")).isEqualTo("timeout");
        assertThat(named(trace, "model_inference slow").failed()).isTrue();
    }

    @Test
    void anIncomingTraceparentIsContinuedAndItsTracestateAndBaggageStayHere() {
        String traceId = hex(16);
        String parentId = hex(8);
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                .header("tracestate", "vendor=opaque-value")
                .header("baggage", "tenant=acme")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"renamed\"," + HI + "}")));

        List<ReceivedSpan> trace = traceOf(inferenceId(response), 3);
        assertThat(trace).allMatch(s -> s.traceId().equals(traceId));
        assertThat(kind(trace, SpanKind.SPAN_KIND_SERVER).parentSpanId()).isEqualTo(parentId);
        UpstreamStub.Received upstream = UpstreamStub.shared().last("echo-model");
        assertThat(upstream.header("traceparent")).startsWith("00-" + traceId + "-").doesNotContain(parentId);
        assertThat(upstream.header("tracestate")).as("the caller's tracestate is not the provider's business").isNull();
        assertThat(upstream.header("baggage")).as("nor its baggage").isNull();
    }

    /**
     * One request's client-supplied values (a stop list of several megabytes) would make an export request larger
     * than a collector takes (the receiver enforces gRPC's default of 4 MiB on both protocols), losing every span
     * batched with it: bounded attributes keep the other requests' traces whole.
     */
    @Test
    void oneOversizedRequestCannotLoseOtherRequestsSpans() throws Exception {
        StringBuilder stop = new StringBuilder("[");
        for (int i = 0; i < 160_000; i++) {
            stop.append(i == 0 ? "" : ",").append("\"stop-").append(i).append("-padding-padding\"");
        }
        String bomb = "{\"model\":\"dummy\",\"stop\":" + stop.append("]") + "," + HI + "}";
        assertThat(bomb.length()).isGreaterThan(4 * 1024 * 1024);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var bombSent = pool.submit(() -> chat(bomb));
        List<java.util.concurrent.Future<HttpResponse<String>>> normal = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(50); // spread over the time the oversized request is parsed, answered and batched
            normal.add(pool.submit(() -> chat("{\"model\":\"dummy\"," + HI + "}")));
        }
        assertThat(bombSent.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (var sent : normal) {
            HttpResponse<String> response = sent.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(traceOf(inferenceId(response), 3)).hasSize(3);
        }
        pool.shutdown();
        ReceivedSpan bombChat = receiver.await(s -> s.name().equals("chat dummy") && s.strings("gen_ai.request.stop_sequences") != null
                && s.strings("gen_ai.request.stop_sequences").contains("stop-0-padding-padding"), WAIT);
        assertThat(bombChat.strings("gen_ai.request.stop_sequences")).as("the first few, as the span records them").hasSizeLessThanOrEqualTo(16);
    }

    @Test
    void auxiliaryEndpointsMakeNoTrace() {
        assertThat(RawHttp.get(base, "/health").statusCode()).isEqualTo(200);
        assertThat(RawHttp.get(base, "/v1/models").statusCode()).isEqualTo(200);
        assertThat(RawHttp.get(base, "/v1/models/dummy").statusCode()).isEqualTo(200);
        assertThat(RawHttp.get(base, "/nothing-here").statusCode()).isEqualTo(404);
        assertThat(RawHttp.get(base, "/metrics").statusCode()).isEqualTo(200);
        // spans leave in the order they end: once a later inference's trace is in, earlier ones would be too
        traceOf(inferenceId(chat("{\"model\":\"dummy\"," + HI + "}")), 3);

        // the receiver is shared by every deployment of the run: only this one's spans count
        assertThat(receiver.spans()).filteredOn(s -> s.kind() == SpanKind.SPAN_KIND_SERVER)
                .filteredOn(s -> GatewayDeployment.TRACED_SERVICE.equals(s.resourceAttribute("service.name")))
                .isNotEmpty().allMatch(s -> s.name().matches("POST /v1/(chat/completions|embeddings|completions|responses|messages|messages/count_tokens)"),
                        "only inference requests are traced");
    }

    @Test
    void embeddingsAndLegacyCompletionsAreTracedAsTheirOwnOperations() {
        HttpResponse<String> embedded = RawHttp.post(base, "/v1/embeddings",
                "{\"model\":\"echo-model\",\"input\":[\"trace me\",\"please\"],\"dimensions\":3,\"encoding_format\":\"float\"}");
        String embeddingsId = inferenceId(embedded);
        List<ReceivedSpan> trace = traceOf(embeddingsId, 3);
        ReceivedSpan server = kind(trace, SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan model = named(trace, "model_inference echo-model");
        ReceivedSpan embeddings = named(trace, "embeddings echo-model");
        assertThat(model.parentSpanId()).isEqualTo(server.spanId());
        assertThat(embeddings.parentSpanId()).isEqualTo(model.spanId());
        assertThat(embeddings.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(embeddings.string("gen_ai.operation.name")).isEqualTo("embeddings");
        assertThat(model.string("gen_ai.operation.name")).isEqualTo("embeddings");
        assertThat(embeddings.integer("gen_ai.embeddings.dimension.count")).isEqualTo(3);
        assertThat(embeddings.strings("gen_ai.request.encoding_formats")).containsExactly("float");
        assertThat(embeddings.integer("gen_ai.usage.input_tokens")).isEqualTo(8);
        assertThat(embeddings.string("gen_ai.response.model")).isEqualTo("echo-model-2024");
        assertThat(embeddings.attribute("gen_ai.input.messages")).as("embeddings input is never a chat message").isEmpty();

        HttpResponse<String> streamed = RawHttp.post(base, "/v1/completions", "{\"model\":\"echo-model\",\"prompt\":\"trace me\",\"stream\":true}");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        List<ReceivedSpan> completionTrace = traceOf(inferenceId(streamed), 3);
        ReceivedSpan completion = named(completionTrace, "text_completion echo-model");
        double gaps = (UpstreamStub.STREAMED_WORDS.size() - 1) * UpstreamStub.CHUNK_GAP_MS;
        assertThat(completion.string("gen_ai.operation.name")).isEqualTo("text_completion");
        assertThat(completion.durationMillis()).isGreaterThanOrEqualTo(gaps);
        assertThat(completion.number("gen_ai.response.time_to_first_chunk")).isPositive();
        assertThat(completion.string("gateway.stream.end")).isEqualTo("complete");
        assertThat(completion.strings("gen_ai.response.finish_reasons")).containsExactly("stop");
        assertThat(completion.integer("gen_ai.usage.output_tokens")).isEqualTo(5);
        assertThat(kind(completionTrace, SpanKind.SPAN_KIND_SERVER).durationMillis()).isGreaterThanOrEqualTo(gaps);

        assertThat(ServerLog.await("inference_id=" + embeddingsId, WAIT)).contains("operation=embeddings")
                .contains("trace_id=" + model.traceId()).contains("model=echo-model provider=stub outcome=success");
    }

    @Test
    void theResponsesApiIsAChatSpanWithItsResponseIdStatusAndUsage() {
        HttpResponse<String> whole = RawHttp.post(base, "/v1/responses", "{\"model\":\"echo-model\",\"input\":\"trace me\",\"max_output_tokens\":50}");
        List<ReceivedSpan> trace = traceOf(inferenceId(whole), 3);
        ReceivedSpan chat = named(trace, "chat echo-model");
        assertThat(chat.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(chat.string("gen_ai.response.id")).isEqualTo("resp_stub_1");
        assertThat(chat.strings("gen_ai.response.finish_reasons")).containsExactly("completed");
        assertThat(chat.integer("gen_ai.request.max_tokens")).isEqualTo(50);
        assertThat(chat.integer("gen_ai.usage.input_tokens")).isEqualTo(12);
        assertThat(chat.integer("gen_ai.usage.output_tokens")).isEqualTo(6);
        assertThat(chat.integer("gen_ai.usage.cache_read.input_tokens")).isEqualTo(4);
        assertThat(chat.integer("gen_ai.usage.reasoning.output_tokens")).isEqualTo(2);

        HttpResponse<String> streamed = RawHttp.post(base, "/v1/responses", "{\"model\":\"echo-model\",\"input\":\"trace me\",\"stream\":true}");
        assertThat(streamed.body()).contains("event: response.completed");
        List<ReceivedSpan> streamTrace = traceOf(inferenceId(streamed), 3);
        ReceivedSpan stream = named(streamTrace, "chat echo-model");
        double gaps = (UpstreamStub.STREAMED_WORDS.size() - 1) * UpstreamStub.CHUNK_GAP_MS;
        assertThat(stream.durationMillis()).isGreaterThanOrEqualTo(gaps);
        assertThat(stream.string("gateway.stream.end")).isEqualTo("complete");
        assertThat(stream.string("gen_ai.response.id")).isEqualTo("resp_stub_1");
        assertThat(stream.strings("gen_ai.response.finish_reasons")).containsExactly("completed");
        assertThat(stream.integer("gen_ai.usage.output_tokens")).isEqualTo(6);
        assertThat(ServerLog.await("inference_id=" + inferenceId(streamed), WAIT)).contains("operation=chat").contains("output_tokens=6");
    }

    @Test
    void genAiMetricsLeaveOverOtlpInTheConventionsNamesAndAgreeWithTheScrape() {
        assertThat(chat("{\"model\":\"dummy\"," + HI + "}").statusCode()).isEqualTo(200);
        assertThat(chat("{\"model\":\"renamed\",\"stream\":true," + HI + "}").body()).endsWith("data: [DONE]\n\n");
        assertThat(chat("{\"model\":\"fallback\"," + HI + "}").statusCode()).isEqualTo(200);
        assertThat(chat("{\"model\":\"fail-500\"," + HI + "}").statusCode()).isEqualTo(502);
        assertThat(RawHttp.post(base, "/v1/embeddings", "{\"model\":\"echo-model\",\"input\":\"x\"}").statusCode()).isEqualTo(200);
        Scrape scrape = Scrape.of(base);
        double promTokens = scrape.sum("gateway_tokens_total");
        double promCalls = scrape.sum("gen_ai_client_operation_duration_seconds_count");

        // cumulative: the first export that has caught up with the scrape holds everything the scrape counted
        Map<String, Metric> latest = Map.of();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            latest = latestMetrics();
            if (latest.containsKey("gen_ai.client.operation.duration") && count(latest.get("gen_ai.client.operation.duration")) == promCalls
                    && latest.containsKey("gen_ai.client.token.usage") && sum(latest.get("gen_ai.client.token.usage")) == promTokens) {
                break;
            }
            OtlpReceiver.sleep(200);
        }
        assertThat(latest).as("metrics exported by %s", GatewayDeployment.TRACED_SERVICE).containsKeys("gen_ai.client.token.usage",
                "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.time_per_output_chunk",
                "gen_ai.server.request.duration", "gen_ai.server.time_to_first_token", "gateway.requests", "gateway.overhead");
        assertThat(count(latest.get("gen_ai.client.operation.duration"))).as("calls, OTLP against the scrape").isEqualTo(promCalls);
        assertThat(sum(latest.get("gen_ai.client.token.usage"))).as("tokens, OTLP against the scrape").isEqualTo(promTokens).isPositive();

        Metric tokens = latest.get("gen_ai.client.token.usage");
        assertThat(tokens.getUnit()).isEqualTo("{token}");
        assertThat(tokens.getHistogram().getDataPoints(0).getExplicitBoundsList()).containsExactly(1d, 4d, 16d, 64d, 256d, 1024d, 4096d,
                16384d, 65536d, 262144d, 1048576d, 4194304d, 16777216d, 67108864d);
        assertThat(tokens.getHistogram().getDataPointsList()).extracting(p -> attributes(p.getAttributesList()))
                .anySatisfy(a -> assertThat(a).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.provider.name", "openai")
                        .containsEntry("gen_ai.request.model", "echo-model").containsEntry("gen_ai.token.type", "output")
                        .containsEntry("server.address", "127.0.0.1").containsKey("server.port").containsKey("gen_ai.response.model"))
                .anySatisfy(a -> assertThat(a).containsEntry("gen_ai.operation.name", "embeddings").containsEntry("gen_ai.token.type", "input"))
                .allSatisfy(a -> assertThat(a).containsKey("gen_ai.token.type").doesNotContainKey("error.type"));

        Metric duration = latest.get("gen_ai.client.operation.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.getHistogram().getDataPoints(0).getExplicitBoundsList()).startsWith(0.01, 0.02, 0.04).endsWith(81.92);
        assertThat(duration.getHistogram().getDataPointsList()).extracting(p -> attributes(p.getAttributesList()))
                .anySatisfy(a -> assertThat(a).containsEntry("gen_ai.request.model", "fail-500").containsEntry("error.type", "server_error"));
        assertThat(latest.get("gen_ai.client.operation.time_to_first_chunk").getHistogram().getDataPoints(0).getExplicitBoundsList())
                .startsWith(0.01, 0.02).endsWith(81.92);
        assertThat(latest.get("gen_ai.server.time_to_first_token").getHistogram().getDataPoints(0).getExplicitBoundsList())
                .startsWith(0.001, 0.005).endsWith(10.0);
        assertThat(count(latest.get("gen_ai.client.operation.time_per_output_chunk"))).isPositive();
        assertThat(latest.get("gen_ai.server.request.duration").getHistogram().getDataPointsList()).extracting(p -> attributes(p.getAttributesList()))
                .anySatisfy(a -> assertThat(a).containsEntry("gen_ai.request.model", "fail-500").containsKey("error.type"))
                .anySatisfy(a -> assertThat(a).containsEntry("gen_ai.request.model", "fallback").doesNotContainKey("error.type"));
        assertThat(count(latest.get("gen_ai.server.time_to_first_token"))).isPositive();
        assertThat(latest.get("gateway.requests").getSum().getDataPointsList()).extracting(p -> attributes(p.getAttributesList()))
                .anySatisfy(a -> assertThat(a).containsEntry("gateway.endpoint", "embeddings").containsEntry("http.response.status_class", "2xx"));
    }

    /** The latest export of each metric from this deployment's service. */
    private Map<String, Metric> latestMetrics() {
        Map<String, Metric> latest = new java.util.HashMap<>();
        receiver.metrics(GatewayDeployment.TRACED_SERVICE).forEach(m -> latest.put(m.name(), m.metric()));
        return latest;
    }

    private static double count(Metric histogram) {
        return histogram.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum();
    }

    private static double sum(Metric histogram) {
        return histogram.getHistogram().getDataPointsList().stream().mapToDouble(HistogramDataPoint::getSum).sum();
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> map = new java.util.TreeMap<>();
        attributes.forEach(kv -> map.put(kv.getKey(), kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue()));
        return map;
    }

    @Test
    void theInferenceLogLineJoinsItsTrace() {
        String inferenceId = inferenceId(chat("{\"model\":\"dummy\"," + HI + "}"));
        ReceivedSpan model = named(traceOf(inferenceId, 3), "model_inference dummy");

        String line = ServerLog.await("inference_id=" + inferenceId, WAIT);
        assertThat(line).contains("trace_id=" + model.traceId() + " span_id=" + model.spanId())
                .contains("model=dummy provider=dummy outcome=success attempts=1")
                .doesNotContain("trace me please");
        assertThat(ServerLog.lines()).as("one line per inference, its fields not printed again")
                .filteredOn(l -> l.contains(inferenceId)).hasSize(1);
        assertThat(new Scrape(RawHttp.get(base, "/metrics").body()).sum("gateway_spans_exported_total", "result=\"success\""))
                .as("exported spans are counted").isPositive();
        if (ServerLog.json()) {
            JsonObject record = Json.parseObject(line);
            assertThat(record.getString("ext_trace_id")).isEqualTo(model.traceId());
            assertThat(record.getString("ext_span_id")).isEqualTo(model.spanId());
            assertThat(record.getString("ext_inference_id")).isEqualTo(inferenceId);
        }
    }

    @Test
    void eachInferenceLeavesAsOneOtlpLogRecordJoinedToItsModelSpan() {
        String answered = inferenceId(chat("{\"model\":\"dummy\"," + HI + "}"));
        String fellBack = inferenceId(chat("{\"model\":\"fallback\"," + HI + "}"));
        HttpResponse<String> refused = chat("{\"model\":\"fail-500\"," + HI + "}");

        List<ReceivedSpan> trace = traceOf(answered, 3);
        ReceivedSpan model = named(trace, "model_inference dummy");
        ReceivedSpan attempt = kind(trace, SpanKind.SPAN_KIND_CLIENT);
        OtlpReceiver.ReceivedLog record = logRecord(answered);
        assertThat(record.traceId()).isEqualTo(model.traceId());
        assertThat(record.spanId()).isEqualTo(model.spanId());
        assertThat(record.record().getSeverityNumber()).isEqualTo(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(record.record().getSeverityText()).isEqualTo("INFO");
        assertThat(record.record().getBody().getStringValue()).isEqualTo("inference");
        assertThat(record.record().getTimeUnixNano()).isPositive();
        assertThat(record.scope()).isEqualTo("llm-gateway");
        assertThat(record.service()).isEqualTo(GatewayDeployment.TRACED_SERVICE);
        assertThat(record.string("event.name")).isEqualTo("gateway.inference");
        assertThat(record.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(record.string("gateway.model")).isEqualTo("dummy");
        assertThat(record.string("gateway.provider")).isEqualTo("dummy");
        assertThat(record.string("gateway.outcome")).isEqualTo("success");
        assertThat(record.attribute("gateway.attempts").orElseThrow().getIntValue()).isEqualTo(1);
        assertThat(record.attribute("gen_ai.usage.input_tokens").orElseThrow().getIntValue()).isEqualTo(attempt.integer("gen_ai.usage.input_tokens"));
        assertThat(record.attribute("gen_ai.usage.output_tokens").orElseThrow().getIntValue()).isEqualTo(attempt.integer("gen_ai.usage.output_tokens"));
        assertThat(record.attribute("gateway.duration_ms").orElseThrow().getDoubleValue()).isPositive()
                .isLessThanOrEqualTo(model.durationMillis() + 1);
        assertThat(record.record().getAttributesList()).as("no content in a log record")
                .noneMatch(kv -> kv.getValue().toString().contains("trace me please"));

        OtlpReceiver.ReceivedLog fallback = logRecord(fellBack);
        assertThat(fallback.spanId()).isEqualTo(named(traceOf(fellBack, 4), "model_inference fallback").spanId());
        assertThat(fallback.attribute("gateway.attempts").orElseThrow().getIntValue()).isEqualTo(2);
        assertThat(fallback.string("gateway.provider")).isEqualTo("stub-renamed");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
        String failedId = refused.headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
        OtlpReceiver.ReceivedLog failure = logRecord(failedId);
        assertThat(failure.spanId()).isEqualTo(named(traceOf(failedId, 3), "model_inference fail-500").spanId());
        assertThat(failure.string("gateway.outcome")).isEqualTo("error");
        assertThat(failure.string("error.type")).isEqualTo("server_error");

        String function = inferenceId(chat("{\"model\":\"function::summarize\"," + HI + "}"));
        OtlpReceiver.ReceivedLog functionRecord = logRecord(function);
        assertThat(functionRecord.spanId()).isEqualTo(named(traceOf(function, 5), "model_inference dummy").spanId());
        assertThat(functionRecord.string("gateway.function")).isEqualTo("summarize");
        assertThat(functionRecord.string("gateway.variant")).isEqualTo("concise");

        String streamed = inferenceId(chat("{\"model\":\"renamed\",\"stream\":true," + HI + "}"));
        OtlpReceiver.ReceivedLog streamRecord = logRecord(streamed);
        assertThat(streamRecord.spanId()).isEqualTo(named(traceOf(streamed, 3), "model_inference renamed").spanId());
        assertThat(streamRecord.string("gateway.outcome")).isEqualTo("success");
        assertThat(streamRecord.string("error.type")).isNull();

        List<String> ids = List.of(answered, fellBack, failedId, function, streamed);
        // Liberty forwards the application's messages to the same SDK: the console line must not leave a second time
        assertThat(receiver.logs()).as("one record per inference, none other naming it")
                .filteredOn(r -> ids.stream().anyMatch(id -> id.equals(r.string("gateway.inference_id")) || r.record().toString().contains(id)))
                .hasSize(ids.size());
    }

    private OtlpReceiver.ReceivedLog logRecord(String inferenceId) {
        return receiver.awaitLog(r -> inferenceId.equals(r.string("gateway.inference_id")), WAIT);
    }

    private List<ReceivedSpan> traceOf(String inferenceId, int spans) {
        return receiver.traceOfInference(inferenceId, spans, WAIT);
    }

    private static java.net.URI URI(String url) {
        return java.net.URI.create(url);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return java.util.HexFormat.of().formatHex(random);
    }

    private HttpResponse<String> chat(String body) {
        return RawHttp.post(base, "/v1/chat/completions", body);
    }
}
