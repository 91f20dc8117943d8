package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many LLM-length calls at once: each waits on its upstream without holding a request thread, keeps its trace
 * whichever thread carries it, and past the configured limit the gateway refuses at once instead of queueing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConcurrencyIT {

    private static final int CALLS = GatewayDeployment.MAX_CALLS_IN_FLIGHT;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withCallLimit();
    }

    private static String ask(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private record Timed(HttpResponse<String> response, long nanos) {
    }

    private List<CompletableFuture<Timed>> sendAll(int count, String model) {
        List<CompletableFuture<Timed>> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            calls.add(RawHttp.postAsync(base, "/v1/chat/completions", ask(model, false))
                    .thenApply(response -> new Timed(response, System.nanoTime() - sent)));
        }
        return calls;
    }

    /** Measured once the deployment's own startup work is done: the ledger opens its database beside the first requests. */
    @org.junit.jupiter.api.BeforeEach
    void deploymentSettled() {
        Scrape.awaitLedgerUp(base);
    }

    @Test
    void holdsTwoThousandCallsInFlightEachAnsweredWithinTwiceTheUpstreamsDelayOnItsOwnTrace() {
        UpstreamStub stub = UpstreamStub.shared();
        stub.resetSlowPeak();

        List<Timed> answers = sendAll(CALLS, "five-seconds").stream().map(CompletableFuture::join).toList();

        assertThat(answers).extracting(a -> a.response().statusCode()).containsOnly(200);
        assertThat(stub.slowPeak()).as("calls waiting at the upstream together").isEqualTo(CALLS);
        long slowest = answers.stream().mapToLong(Timed::nanos).max().orElseThrow();
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(2 * UpstreamStub.SLOW_ANSWER_MS));

        // every call's spans form its own tree under its own server span, whichever thread carried it
        OtlpReceiver otlp = OtlpReceiver.shared();
        awaitSpans(otlp, CALLS);
        Map<String, List<ReceivedSpan>> traces = otlp.spans().stream()
                .filter(s -> GatewayDeployment.CONCURRENCY_SERVICE.equals(s.resourceAttribute("service.name")))
                .collect(Collectors.groupingBy(ReceivedSpan::traceId));
        Map<String, ReceivedSpan> chatByInference = traces.values().stream().flatMap(List::stream)
                .filter(s -> s.name().equals("chat five-seconds"))
                .collect(Collectors.toMap(s -> s.string("gateway.inference_id"), s -> s));
        for (Timed answer : answers) {
            String inferenceId = answer.response().headers().firstValue("X-Gateway-Inference-Id").orElseThrow();
            ReceivedSpan chat = chatByInference.get(inferenceId);
            assertThat(chat).as("the attempt span of " + inferenceId).isNotNull();
            List<ReceivedSpan> trace = traces.get(chat.traceId());
            assertThat(trace).as("trace of " + inferenceId).hasSize(3);
            ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
            ReceivedSpan model = trace.stream().filter(s -> s.name().startsWith("model_inference")).findFirst().orElseThrow();
            assertThat(model.parentSpanId()).isEqualTo(server.spanId());
            assertThat(chat.parentSpanId()).isEqualTo(model.spanId());
            assertThat(server.span().getEndTimeUnixNano()).as("the server span ends once its call is answered")
                    .isGreaterThanOrEqualTo(chat.span().getEndTimeUnixNano());
        }
    }

    @Test
    void pastTheLimitOfCallsInFlightRefusesAtOnceWith429OnAConnectionItKeepsAndThenServesAgain() throws Exception {
        UpstreamStub stub = UpstreamStub.shared();
        double refusedBefore = new Scrape(RawHttp.get(base, "/metrics").body()).sum("gateway_overload_refusals_total", "reason=\"calls_in_flight\"");
        List<CompletableFuture<Timed>> held = sendAll(CALLS, "held");
        try {
            awaitHeld(stub);

            // one client retrying on its keep-alive connection: every refusal leaves the connection open, since a
            // refusal that closed it would have every refused client reconnect (a 503 makes Payara Micro close it)
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
                socket.setSoTimeout(5_000);
                InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                for (int i = 0; i < 20; i++) {
                    long sent = System.nanoTime();
                    byte[] body = ask("echo-model", i % 2 == 0).getBytes(StandardCharsets.UTF_8);
                    socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().write(body);
                    RawSocket.Answer refused = RawSocket.readOne(in);
                    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
                    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
                    assertThat(refused.header("Retry-After")).isEqualTo("1");
                    assertThat(refused.header("Connection")).as("refusal %d keeps the connection", i).isNotEqualToIgnoringCase("close");
                    assertThat(refused.body()).contains("\"code\":\"gateway_overloaded\"").contains("gateway.calls.max-in-flight");
                }

                // refused before its body is read: the answer comes with half the body still unsent, and once the
                // rest is sent the connection is still in step with the next request
                byte[] body = ask("echo-model", false).getBytes(StandardCharsets.UTF_8);
                int half = body.length / 2;
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body, 0, half);
                assertThat(RawSocket.readOne(in).status()).as("answered with half the body unsent").isEqualTo(429);
                socket.getOutputStream().write(body, half, body.length - half);
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body);
                RawSocket.Answer next = RawSocket.readOne(in);
                assertThat(next.status()).as("the request after the unread body: %s", next.body()).isEqualTo(429);
                assertThat(next.body()).contains("gateway_overloaded");
            }

            // the official SDK sees its rate-limit error, which it retries after Retry-After when retries are on
            OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey("k").maxRetries(0).build();
            assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("echo-model").addUserMessage("hi").build()))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).hasValue("gateway_overloaded"));
        } finally {
            stub.releaseHeld();
        }
        assertThat(held.stream().map(CompletableFuture::join).map(t -> t.response().statusCode())).containsOnly(200);

        assertThat(RawHttp.post(base, "/v1/chat/completions", ask("echo-model", false)).statusCode()).isEqualTo(200);
        Scrape scrape = awaitNoCallsInFlight();
        assertThat(scrape.sum("gateway_overload_refusals_total", "reason=\"calls_in_flight\"") - refusedBefore).as("each refusal counted once")
                .isEqualTo(23);
    }

    @Test
    void aReaderThatStopsReadingHoldsItsUpstreamBackAndItsHangUpReachesTheUpstream() throws Exception {
        UpstreamStub stub = UpstreamStub.shared();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()));
            byte[] body = ask("firehose", true).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] first = new byte[16 * 1024];
            int read = in.read(first);
            assertThat(new String(first, 0, read, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");

            // the client reads nothing more: what the upstream could send must level off at what buffers hold
            Thread.sleep(2_000);
            long settled = stub.firehoseWritten();
            Thread.sleep(2_000);
            long later = stub.firehoseWritten();
            assertThat(later - settled).as("bytes the upstream sent while nobody read").isLessThan(1024 * 1024);
            assertThat(later).as("bytes buffered between upstream and client").isLessThan(UpstreamStub.FIREHOSE_BYTES / 8);
        }
        long closed = System.nanoTime();
        Long aborted = awaitAbort(stub, "firehose");
        assertThat(Duration.ofNanos(aborted - closed)).as("time for the hang-up to reach the upstream").isLessThan(Duration.ofSeconds(2));
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, SpanKind kind) {
        List<ReceivedSpan> found = trace.stream().filter(s -> s.kind() == kind).toList();
        assertThat(found).as(kind + " spans in " + trace).hasSize(1);
        return found.get(0);
    }

    private static void awaitSpans(OtlpReceiver otlp, int count) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (otlp.spans().stream().filter(s -> s.name().equals("chat five-seconds")
                && GatewayDeployment.CONCURRENCY_SERVICE.equals(s.resourceAttribute("service.name"))).count() < count) {
            assertThat(System.nanoTime()).as("all attempt spans exported in time").isLessThan(deadline);
            pause(100);
        }
        pause(500); // the server spans end last
    }

    private static void awaitHeld(UpstreamStub stub) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (stub.heldArrivals() < CALLS) {
            assertThat(System.nanoTime()).as("held calls arrived: " + stub.heldArrivals()).isLessThan(deadline);
            pause(50);
        }
    }

    private Scrape awaitNoCallsInFlight() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Scrape scrape = new Scrape(RawHttp.get(base, "/metrics").body());
            if (scrape.value("gateway_calls_in_flight") == 0 || System.nanoTime() > deadline) {
                assertThat(scrape.value("gateway_calls_in_flight")).isZero();
                return scrape;
            }
            pause(50);
        }
    }

    private static Long awaitAbort(UpstreamStub stub, String model) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stub.streamAbortedAt(model) == null) {
            assertThat(System.nanoTime()).as("the upstream saw the hang-up").isLessThan(deadline);
            pause(20);
        }
        return stub.streamAbortedAt(model);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
