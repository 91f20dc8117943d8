package dev.llmgateway.api;

import dev.llmgateway.events.GatewayEvents;

import dev.llmgateway.admission.CallsInFlight;
import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.calls.CallCarrier;
import dev.llmgateway.config.ConfigView;
import dev.llmgateway.config.SettingsBinder;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.InferenceService;
import dev.llmgateway.inference.Route;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.testing.ServletFakes;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What no runtime would let an integration test provoke on demand: the response's very first flush failing. */
class ChatCompletionsServletTest {

    @Test
    void aStreamWhoseFirstFlushFailsIsClosedReleasingItsUpstreamAndSpans() throws IOException {
        var stream = new RecordingStream();
        var servlet = servlet(new InferenceService() {
            @Override
            public InferenceResult infer(ClientRequest chat, Optional<String> variantHeader) {
                return new InferenceResult("inference-1", new Route(null, null, "m", "p", 1), null, stream);
            }
        });

        servlet.service(request("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), failingFlush());

        assertThat(stream.closed).as("the stream was closed").isTrue();
        assertThat(servlet.memoryBudget.inUse()).isZero();
        assertThat(servlet.admission.callsInFlight.inFlight()).isZero();
    }

    @Test
    void anErrorInsideTheCallIsAnswered500AndReleasesItsPlaceAndMemory() throws IOException {
        var servlet = servlet(new InferenceService() {
            @Override
            public InferenceResult infer(ClientRequest chat, Optional<String> variantHeader) {
                throw new StackOverflowError();
            }
        });
        var body = new ByteArrayOutputStream();
        int[] status = {200};
        HttpServletResponse response = ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "setStatus" -> {
                status[0] = (int) args[0];
                yield null;
            }
            case "getOutputStream" -> ServletFakes.into(body);
            case "isCommitted" -> false;
            default -> null;
        });

        servlet.service(request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), response);

        assertThat(status[0]).isEqualTo(500);
        assertThat(body.toString(StandardCharsets.UTF_8)).contains("\"type\":\"server_error\"").doesNotContain("StackOverflow");
        assertThat(servlet.admission.callsInFlight.inFlight()).isZero();
        assertThat(servlet.memoryBudget.inUse()).isZero();
    }

    @Test
    void pastTheLimitOfCallsInFlightTheCallIsRefusedWith429AndRetryAfter() throws IOException {
        var servlet = servlet(null);
        servlet.admission.callsInFlight.tryEnter(); // the one place taken by a call in flight
        var body = new ByteArrayOutputStream();
        var headers = new java.util.HashMap<String, String>();
        int[] status = {200};
        HttpServletResponse response = ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "setStatus" -> {
                status[0] = (int) args[0];
                yield null;
            }
            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
            case "getOutputStream" -> ServletFakes.into(body);
            default -> null;
        });

        servlet.service(request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), response);

        assertThat(status[0]).isEqualTo(429);
        assertThat(headers).containsEntry("Retry-After", "1");
        assertThat(body.toString(StandardCharsets.UTF_8)).contains("gateway_overloaded");
        assertThat(servlet.admission.callsInFlight.inFlight()).isEqualTo(1);
        assertThat(servlet.memoryBudget.inUse()).isZero();
    }

    @Test
    void aBodyStillArrivingHoldsNoPlaceOfACall() throws IOException {
        var servlet = servlet(new InferenceService() {
            @Override
            public InferenceResult infer(ClientRequest chat, Optional<String> variantHeader) {
                throw new IllegalStateException("no upstream in this test");
            }
        });
        servlet.admission.callsInFlight = new CallsInFlight(2);
        servlet.admission.callsInFlight.tryEnter();
        byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        List<Integer> placesWhileReading = new java.util.ArrayList<>();
        var in = new ByteArrayInputStream(body);
        ServletInputStream trickle = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }

            @Override
            public int read() {
                placesWhileReading.add(servlet.admission.callsInFlight.inFlight());
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                placesWhileReading.add(servlet.admission.callsInFlight.inFlight());
                return in.read(b, off, Math.min(len, 1)); // a byte at a time, as a slow client sends
            }
        };
        HttpServletRequest request = ServletFakes.request((proxy, method, args) -> switch (method.getName()) {
            case "getMethod" -> "POST";
            case "getInputStream" -> trickle;
            case "getContentLengthLong" -> (long) body.length;
            default -> null;
        });
        var answered = new ByteArrayOutputStream();
        HttpServletResponse response = ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "getOutputStream" -> ServletFakes.into(answered);
            case "isCommitted" -> false;
            default -> null;
        });

        servlet.service(request, response);

        assertThat(placesWhileReading).hasSizeGreaterThan(body.length / 2).containsOnly(1);
        assertThat(servlet.admission.callsInFlight.inFlight()).isEqualTo(1);
    }

    private static ChatCompletionsServlet servlet(InferenceService inference) {
        var servlet = new ChatCompletionsServlet();
        servlet.settings = SettingsBinder.bind(new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                return Optional.empty();
            }

            @Override
            public Iterable<String> names() {
                return List.of();
            }
        });
        servlet.memoryBudget = new MemoryBudget(1 << 20);
        servlet.admission = new CallAdmission();
        servlet.admission.callsInFlight = new CallsInFlight(1);
        servlet.admission.carrier = new CallCarrier(null);
        servlet.inference = inference;
        servlet.events = new GatewayEvents(List.of());
        servlet.limiter = new dev.llmgateway.keys.Limiter(); // no virtual key on these requests: nothing to limit
        return servlet;
    }

    private static final class RecordingStream implements ChunkStream {
        boolean closed;

        @Override
        public Chunk next() {
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static HttpServletRequest request(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var in = new ByteArrayInputStream(bytes);
        ServletInputStream input = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }
        };
        return ServletFakes.request((proxy, method, args) -> switch (method.getName()) {
            case "getMethod" -> "POST";
            case "getInputStream" -> input;
            case "getContentLengthLong" -> (long) bytes.length;
            default -> null;
        });
    }

    private static HttpServletResponse failingFlush() {
        return ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "flushBuffer" -> throw new IOException("Broken pipe");
            case "isCommitted" -> true;
            default -> null;
        });
    }
}
