package dev.llmgateway.provider;

import com.sun.net.httpserver.HttpServer;
import dev.llmgateway.config.ProviderType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies of unknown length are read into kept buffers: each answer must come back as exactly its own bytes. */
class UpstreamReadAllTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<byte[]> next = new AtomicReference<>();
    private HttpServer server;
    private UpstreamHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // chunked: no Content-Length, so the gateway cannot size the answer before reading it
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        http = new UpstreamHttp(TestProviders.settings("echo", ProviderType.OPENAI, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", null),
                timers, UpstreamHeaders.NONE);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.stop(0);
        timers.shutdownNow();
    }

    @Test
    void aShortAnswerAfterALongOneIsOnlyItsOwnBytes() throws Exception {
        byte[] longAnswer = new byte[20_000];
        Arrays.fill(longAnswer, (byte) 'A');
        byte[] almostScratch = new byte[8 * 1024 - 1];
        Arrays.fill(almostScratch, (byte) 'B');
        byte[] scratchSized = new byte[8 * 1024];
        Arrays.fill(scratchSized, (byte) 'C');
        List<byte[]> answers = List.of(longAnswer, almostScratch, scratchSized, "hello".getBytes(), new byte[0], longAnswer, "hi".getBytes());
        List<byte[]> read = new java.util.ArrayList<>();
        for (byte[] answer : answers) {
            read.add(echo(answer, 1 << 20));
        }
        read.add(echo(scratchSized, 8 * 1024));
        ProviderException tooLarge = org.assertj.core.api.Assertions.catchThrowableOfType(ProviderException.class, () -> echo(longAnswer, 100));
        read.add(echo("after the refusal".getBytes(), 1 << 20));
        // compared only once all were read: an array handed out and then reused by a later answer would show here
        for (int i = 0; i < answers.size(); i++) {
            assertThat(read.get(i)).as("answer %d", i).isEqualTo(answers.get(i));
        }
        assertThat(read.get(answers.size())).as("exactly the limit").isEqualTo(scratchSized);
        assertThat(tooLarge.reason()).as("past the limit").isEqualTo(ProviderException.Reason.ANSWER_TOO_LARGE);
        assertThat(read.get(answers.size() + 1)).isEqualTo("after the refusal".getBytes());
    }

    @Test
    void answersReadAtOnceOnManyThreadsNeverShareABuffer() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<Boolean>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] answer = new byte[1 + (i * 97) % 12_000];
                Arrays.fill(answer, (byte) ('a' + i % 26));
                calls.add(callers.submit(() -> Arrays.equals(echo(answer, 1 << 20), answer)));
            }
            for (Future<Boolean> call : calls) {
                assertThat(call.get()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** A header line grows the connection's line buffer for the connection's life: HttpCore's 8 KiB limit must hold. */
    @Test
    void aHeaderLineLongerThanTheLimitFailsTheCall() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread upstream = new Thread(() -> {
                try (java.net.Socket socket = raw.accept()) {
                    java.io.InputStream in = socket.getInputStream();
                    byte[] request = new byte[4096];
                    in.read(request);
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nX-Huge: " + "h".repeat(100_000) + "\r\nContent-Length: 2\r\n\r\nok")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(2_000);
                } catch (IOException | InterruptedException ignored) {
                    // the client went away
                }
            });
            upstream.start();
            URI uri = URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/v1/echo");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.readAll(http.exchange(http.post(uri, "x".getBytes())), 1 << 20)))
                    .isInstanceOf(ProviderException.class).hasRootCauseInstanceOf(org.apache.hc.core5.http.MessageConstraintException.class);
            upstream.join(5_000);
        }
    }

    private byte[] echo(byte[] answer, int limit) throws ProviderException {
        UpstreamBody body = http.exchange(http.post(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/echo"), answer));
        assertThat(body.length()).as("no declared length").isLessThanOrEqualTo(0);
        return http.readAll(body, limit);
    }
}
